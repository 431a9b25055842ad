// Turns the addon's -errno results into Node-style errors.
import { constants } from "node:os";

const names = new Map<number, string>(Object.entries(constants.errno).map(([name, n]) => [n, name]));

export interface ErrnoError extends Error {
  code: string;
  errno: number;
}

export function errnoError(negErrno: number, what: string): ErrnoError {
  const errno = -negErrno;
  const code = names.get(errno) ?? `E${errno}`;
  return Object.assign(new Error(`${what}: ${code}`), { code, errno });
}

/** Returns non-negative results, throws for -errno. */
export function check(result: number, what: string): number {
  if (result < 0) throw errnoError(result, what);
  return result;
}

export const errno = constants.errno;

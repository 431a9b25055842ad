/** The target's environment, as the kernel recorded it at exec: /proc/<pid>/environ. */
import { readFile } from "node:fs/promises";
import type { EnvVar } from "@mirrord-ts/protocol";

export function parseEnviron(raw: Buffer): EnvVar[] {
  const vars: EnvVar[] = [];
  for (const entry of raw.toString("utf8").split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) vars.push({ name: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
  return vars;
}

export async function readTargetEnv(pid: number): Promise<EnvVar[]> {
  return parseEnviron(await readFile(`/proc/${pid}/environ`));
}

/**
 * Resolves a path as the target would, inside its root (/proc/<pid>/root), without ever
 * leaving that root: ".." stops at the root, and symlinks are followed by hand, absolute
 * ones relative to the root, like chroot or openat2(RESOLVE_IN_ROOT). The kernel's own
 * walk through /proc/<pid>/root would let ".." and absolute links escape to the agent's
 * root, which is why no path is handed to it unresolved.
 *
 * The result has no symlink in any component but (when followLast is false) the last;
 * callers open it with O_NOFOLLOW so a link swapped in meanwhile is refused, not followed.
 */
import { lstat, readlink } from "node:fs/promises";

const MAX_SYMLINKS = 40; // Linux's limit (ELOOP)

export class PathError extends Error {
  override readonly name = "PathError";
  constructor(
    readonly code: "ELOOP" | "EINVAL",
    message: string,
  ) {
    super(message);
  }
}

export async function resolveInRoot(root: string, path: string, followLast = true): Promise<string> {
  if (!path.startsWith("/")) throw new PathError("EINVAL", `The path "${path}" is not absolute.`);
  const resolved: string[] = [];
  let pending = path.split("/").filter((c) => c !== "");
  let hops = 0;
  while (pending.length > 0) {
    const component = pending.shift()!;
    if (component === ".") continue;
    if (component === "..") {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, component];
    const isLast = pending.length === 0;
    let isLink = false;
    try {
      isLink = (await lstat(hostPath(root, candidate))).isSymbolicLink();
    } catch {
      // A missing component: the caller's open/stat reports ENOENT on the host path.
    }
    if (!isLink || (isLast && !followLast)) {
      resolved.push(component);
      continue;
    }
    if (++hops > MAX_SYMLINKS) throw new PathError("ELOOP", `Too many symbolic links resolving "${path}".`);
    const target = await readlink(hostPath(root, candidate));
    const targetComponents = target.split("/").filter((c) => c !== "");
    if (target.startsWith("/")) resolved.length = 0;
    pending = [...targetComponents, ...pending];
  }
  return hostPath(root, resolved);
}

function hostPath(root: string, components: readonly string[]): string {
  return components.length === 0 ? root : `${root.replace(/\/$/, "")}/${components.join("/")}`;
}

/** Mounts the runtime made (overlay rootfs, shm, secrets, netns binds), unmounted deepest first. */
import { readFile } from "node:fs/promises";
import { STATE_DIR } from "../paths.js";
import { runUnchecked } from "../run.js";

/** Mount points under the runtime's folders; /run/netns itself only when `up` created it. */
export function isClusterMount(mountPoint: string, ownsRunNetns: boolean): boolean {
  const under = (dir: string) => mountPoint === dir || mountPoint.startsWith(`${dir}/`);
  return (
    under(STATE_DIR) ||
    under("/var/lib/kubelet") ||
    under("/run/containerd") ||
    mountPoint.startsWith("/run/netns/cni-") ||
    (ownsRunNetns && mountPoint === "/run/netns")
  );
}

export async function clusterMounts(ownsRunNetns = false): Promise<string[]> {
  const mountInfo = await readFile("/proc/self/mountinfo", "utf8");
  const points = mountInfo
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((p): p is string => Boolean(p))
    .map((p) => p.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((p) => isClusterMount(p, ownsRunNetns));
  return [...new Set(points)].sort((a, b) => b.split("/").length - a.split("/").length || b.length - a.length);
}

export async function unmountClusterMounts(ownsRunNetns: boolean): Promise<void> {
  // A mount can be stacked several times (netns binds); repeat until none is left.
  for (let round = 0; round < 5; round++) {
    const mounts = await clusterMounts(ownsRunNetns);
    if (mounts.length === 0) return;
    for (const mountPoint of mounts) {
      const result = await runUnchecked("umount", [mountPoint]);
      if (result.code !== 0) await runUnchecked("umount", ["-l", mountPoint]);
    }
  }
}

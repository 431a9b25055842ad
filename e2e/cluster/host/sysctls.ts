/**
 * Kernel settings the kubelet and the bridge plugin change (CLUSTER-NOTES pitfall 6):
 * saved before boot, restored by `down`.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";

export const TOUCHED_SYSCTLS = [
  "kernel/panic",
  "kernel/panic_on_oops",
  "kernel/keys/root_maxkeys",
  "kernel/keys/root_maxbytes",
  "vm/overcommit_memory",
  "vm/panic_on_oom",
  "net/ipv4/ip_forward",
  "net/ipv4/conf/all/forwarding",
  "net/ipv6/conf/all/forwarding",
  "net/ipv4/conf/all/route_localnet",
  "net/bridge/bridge-nf-call-iptables",
  "net/bridge/bridge-nf-call-ip6tables",
];

export async function readSysctls(): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const key of TOUCHED_SYSCTLS) {
    const file = `/proc/sys/${key}`;
    if (existsSync(file)) values[key] = (await readFile(file, "utf8")).trim();
  }
  return values;
}

/** Writes back every saved value that differs now; returns the keys it restored. */
export async function restoreSysctls(saved: Record<string, string>): Promise<string[]> {
  const restored: string[] = [];
  for (const [key, value] of Object.entries(saved)) {
    const file = `/proc/sys/${key}`;
    if (!existsSync(file)) continue;
    if ((await readFile(file, "utf8")).trim() === value) continue;
    await writeFile(file, `${value}\n`).catch(() => undefined);
    restored.push(key);
  }
  return restored;
}

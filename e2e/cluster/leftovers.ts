/**
 * What of the cluster is still on the host, as `ip netns`, `iptables-save`, `mount` and
 * `ps` would show it. Empty after `down`; the e2e suite asserts that.
 */
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { clusterCgroups } from "./host/cgroups.js";
import { leftoverChains } from "./host/iptables.js";
import { clusterMounts } from "./host/mounts.js";
import { podNetworkNamespaces, bridgeExists } from "./host/netns.js";
import { leftoverRoutes } from "./host/routes.js";
import { CACHE_DIR, CONTAINERD_SOCKET, FIXED_RUNTIME_PATHS, STATE_DIR } from "./paths.js";
import { run } from "./run.js";

/** Live processes (zombies excluded: pid 1 here reaps late) whose command line is the cluster's. */
async function clusterProcesses(): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    let state: string | undefined;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
    } catch {
      continue;
    }
    if (state === "Z" || cmdline === "") continue;
    const ours =
      cmdline.includes(STATE_DIR) ||
      cmdline.includes(CONTAINERD_SOCKET) ||
      cmdline.includes(`${CACHE_DIR}/k8s-`) ||
      /(^|\/)(kube-apiserver|kube-controller-manager|kube-scheduler|kubelet|kube-proxy|coredns|containerd-shim-runc-v2|pause)( |$)/.test(cmdline) ||
      /^\/app\/(echo|tcp-udp-echo|queue-broker|queue-reader)( |$)/.test(cmdline);
    if (ours) found.push(`${entry} ${cmdline}`);
  }
  return found;
}

export interface Leftovers {
  netns: string[];
  iptables: string[];
  mounts: string[];
  processes: string[];
  routes: string[];
  other: string[];
}

export async function clusterLeftovers(): Promise<Leftovers> {
  const ipNetns = (await run("ip", ["netns", "list"])).split("\n").filter((l) => l.startsWith("cni-"));
  const mountOutput = (await run("mount", [])).split("\n").filter((l) => /mirrord-ts-e2e|kubelet|\/run\/containerd|\/run\/netns\/cni-/.test(l));
  const other: string[] = [];
  if (existsSync(STATE_DIR)) other.push(`${STATE_DIR} exists`);
  if (await bridgeExists()) other.push("bridge cni0 exists");
  for (const dir of await clusterCgroups()) other.push(`cgroup ${dir}`);
  for (const path of FIXED_RUNTIME_PATHS.filter((p) => p !== "/run/netns" && p !== "/etc/cni" && p !== "/opt/cni")) {
    if (existsSync(path)) other.push(`${path} exists`);
  }
  const mountInfo = await readFile("/proc/self/mountinfo", "utf8");
  return {
    netns: [...new Set([...ipNetns, ...(await podNetworkNamespaces())])],
    iptables: await leftoverChains(),
    mounts: [...new Set([...mountOutput, ...(await clusterMounts()), ...(mountInfo.includes("/run/netns/cni-") ? ["/run/netns/cni-*"] : [])])],
    processes: await clusterProcesses(),
    routes: await leftoverRoutes(),
    other,
  };
}

/**
 * The kubelet's pod cgroups (`kubepods`, in every cgroup v1 hierarchy): the processes
 * left in them are the pods' (we kill those PIDs), then the cgroups are removed deepest first.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, rmdir } from "node:fs/promises";
import path from "node:path";

const CGROUP_ROOT = "/sys/fs/cgroup";
const CLUSTER_CGROUPS = ["kubepods", "kubepods.slice", "k8s.io"];

async function hierarchies(): Promise<string[]> {
  if (!existsSync(CGROUP_ROOT)) return [];
  const entries = await readdir(CGROUP_ROOT, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => path.join(CGROUP_ROOT, e.name));
}

async function descendants(dir: string): Promise<string[]> {
  const result: string[] = [dir];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) result.push(...(await descendants(path.join(dir, entry.name))));
  }
  return result;
}

export async function clusterCgroups(): Promise<string[]> {
  const dirs: string[] = [];
  for (const hierarchy of await hierarchies()) {
    for (const name of CLUSTER_CGROUPS) {
      const dir = path.join(hierarchy, name);
      if (existsSync(dir)) dirs.push(...(await descendants(dir)));
    }
  }
  return dirs;
}

/** PIDs of processes still inside the cluster's cgroups. */
export async function processesInClusterCgroups(): Promise<number[]> {
  const pids = new Set<number>();
  for (const dir of await clusterCgroups()) {
    const procs = await readFile(path.join(dir, "cgroup.procs"), "utf8").catch(() => "");
    for (const line of procs.split("\n")) if (line.trim()) pids.add(Number(line));
  }
  return [...pids];
}

export async function removeClusterCgroups(): Promise<void> {
  const dirs = (await clusterCgroups()).sort((a, b) => b.split("/").length - a.split("/").length);
  for (const dir of dirs) await rmdir(dir).catch(() => undefined);
}

/** Resource use of the running cluster and the size of what it keeps on disk, for the report. */
import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { readBuildTimes, type BuildTimes } from "./build/build-times.js";
import { processesInClusterCgroups } from "./host/cgroups.js";
import { isRunning, recordedDaemons } from "./host/processes.js";
import { ourShimPids } from "./host/shims.js";
import { CACHE_DIR, GO_BUILD_CACHE, GO_MOD_CACHE, IMAGE_ARCHIVES_DIR, KUBERNETES_BUILD_DIR, STATE_DIR } from "./paths.js";
import { runUnchecked } from "./run.js";

function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export interface MemoryUse {
  /** Resident memory now, MiB, summed over components, shims and pod processes. */
  rssMiB: number;
  /** Sum of each of those processes' peak resident memory (VmHWM), MiB: an upper bound of the peak. */
  peakMiB: number;
  perComponentPeakMiB: Record<string, number>;
}

export async function clusterMemory(): Promise<MemoryUse> {
  const perComponentPeakMiB: Record<string, number> = {};
  let rss = 0;
  let peak = 0;
  for (const daemon of (await recordedDaemons()).filter(isRunning)) {
    rss += statusKiB(daemon.pid, "VmRSS");
    peak += statusKiB(daemon.pid, "VmHWM");
    perComponentPeakMiB[daemon.name] = Math.round(statusKiB(daemon.pid, "VmHWM") / 1024);
  }
  let podsPeak = 0;
  for (const pid of [...(await ourShimPids()), ...(await processesInClusterCgroups())]) {
    rss += statusKiB(pid, "VmRSS");
    podsPeak += statusKiB(pid, "VmHWM");
  }
  peak += podsPeak;
  perComponentPeakMiB["pods and shims"] = Math.round(podsPeak / 1024);
  return { rssMiB: Math.round(rss / 1024), peakMiB: Math.round(peak / 1024), perComponentPeakMiB };
}

async function duMiB(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const result = await runUnchecked("du", ["-sm", path]);
  return Number(result.stdout.split(/\s/)[0] ?? 0);
}

export interface DiskUse {
  runtimeStateMiB: number;
  kubernetesBuildMiB: number;
  goBuildCacheMiB: number;
  goModuleCacheMiB: number;
  imagesMiB: number;
  cacheTotalMiB: number;
}

export async function diskUse(): Promise<DiskUse> {
  return {
    runtimeStateMiB: await duMiB(STATE_DIR),
    kubernetesBuildMiB: await duMiB(KUBERNETES_BUILD_DIR),
    goBuildCacheMiB: await duMiB(GO_BUILD_CACHE),
    goModuleCacheMiB: await duMiB(GO_MOD_CACHE),
    imagesMiB: await duMiB(IMAGE_ARCHIVES_DIR),
    cacheTotalMiB: await duMiB(CACHE_DIR),
  };
}

export interface ClusterReport {
  /** Duration of the last build of each binary (a cold one only on an empty cache). */
  lastBuildSeconds: BuildTimes;
  warmBootSeconds?: number;
  teardownSeconds?: number;
  memory: MemoryUse;
  disk: DiskUse;
}

export const REPORT_FILE = `${CACHE_DIR}/cluster-report.json`;

export async function writeClusterReport(report: ClusterReport): Promise<void> {
  await writeFile(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
}

export async function readLastBuildTimes(): Promise<BuildTimes> {
  return readBuildTimes();
}

export async function readClusterReport(): Promise<ClusterReport | undefined> {
  return existsSync(REPORT_FILE) ? (JSON.parse(await readFile(REPORT_FILE, "utf8")) as ClusterReport) : undefined;
}

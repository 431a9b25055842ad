/**
 * `pnpm cluster down`: leaves nothing of the cluster on the host. Pods are deleted while the
 * API is up (so the kubelet runs CNI DEL), components are stopped in reverse start order by
 * their recorded PIDs, then the leftovers the runtime makes outside its folders are removed:
 * pod processes, shims, mounts, network namespaces, the bridge, iptables/ip6tables chains,
 * conntrack entries, routes, the lo address, cgroups, sysctls and fixed paths.
 * Safe to run at any time, from any clone, any number of times.
 */
import { existsSync } from "node:fs";
import { cp, rm } from "node:fs/promises";
import { COMPONENT_ORDER, kubectl } from "./components.js";
import { processesInClusterCgroups, removeClusterCgroups } from "./host/cgroups.js";
import { withClusterLock } from "./host/cluster-lock.js";
import { readHostBefore } from "./host/host-before.js";
import { removeClusterChains } from "./host/iptables.js";
import { unmountClusterMounts } from "./host/mounts.js";
import { podNetworkNamespaces, removePodNetworking } from "./host/netns.js";
import { isRunning, processStartTime, recordedDaemon, stopDaemon, stopProcess } from "./host/processes.js";
import { removeSafetyRoutes } from "./host/routes.js";
import { ourShimPids } from "./host/shims.js";
import { restoreSysctls } from "./host/sysctls.js";
import { NODE_IP, POD_RANGE, SERVICE_RANGE } from "./network.js";
import { FIXED_RUNTIME_PATHS, LAST_LOGS_DIR, LOGS_DIR, STATE_DIR } from "./paths.js";
import { runUnchecked, waitFor } from "./run.js";

export interface DownReport {
  seconds: number;
}

function log(message: string): void {
  process.stderr.write(`cluster: ${message}\n`);
}

/** Deletes every pod through the API so the kubelet tears their networks down properly. */
async function deletePodsWhileApiIsUp(): Promise<void> {
  const apiServer = await recordedDaemon("kube-apiserver");
  const kubelet = await recordedDaemon("kubelet");
  if (!apiServer || !isRunning(apiServer) || !kubelet || !isRunning(kubelet)) return;
  await kubectl(["delete", "deployments,replicasets,daemonsets,statefulsets,jobs", "--all", "--all-namespaces", "--wait=false"]);
  await kubectl(["delete", "pods", "--all", "--all-namespaces", "--grace-period=0", "--force", "--wait=false"]);
  await waitFor("the kubelet to stop every pod sandbox", 40_000, async () =>
    (await podNetworkNamespaces()).length === 0 ? true : undefined,
  ).catch((error: Error) => log(`${error.message} Removing them by hand.`));
}

async function killPids(pids: number[]): Promise<void> {
  await Promise.all(
    pids.map((pid) => {
      const startTime = processStartTime(pid);
      return startTime === undefined ? undefined : stopProcess(pid, startTime, 3_000);
    }),
  );
}

export async function clusterDown(): Promise<DownReport> {
  return withClusterLock("cluster down", tearDown);
}

async function tearDown(): Promise<DownReport> {
  const started = Date.now();
  const hostBefore = await readHostBefore();
  await deletePodsWhileApiIsUp();
  for (const component of [...COMPONENT_ORDER].reverse().filter((c) => c !== "containerd" && c !== "etcd")) {
    await stopDaemon(component);
  }
  // Containers still running (the kubelet stopped first) live in the pod cgroups.
  await killPids(await processesInClusterCgroups());
  await killPids(await ourShimPids());
  await stopDaemon("containerd");
  await stopDaemon("etcd");

  await unmountClusterMounts(!(hostBefore?.existingPaths.includes("/run/netns") ?? true));
  await removePodNetworking();
  await removeClusterChains();
  for (const [flag, range] of [["-s", POD_RANGE], ["-d", POD_RANGE], ["-d", SERVICE_RANGE], ["-d", NODE_IP], ["-s", NODE_IP]]) {
    await runUnchecked("conntrack", ["-D", flag!, range!]);
  }
  await removeSafetyRoutes();
  await removeClusterCgroups();
  if (hostBefore) await restoreSysctls(hostBefore.sysctls);
  for (const fixedPath of FIXED_RUNTIME_PATHS) {
    if (hostBefore && !hostBefore.existingPaths.includes(fixedPath)) await rm(fixedPath, { recursive: true, force: true });
  }
  const keptLogs = existsSync(LOGS_DIR);
  if (keptLogs) {
    await rm(LAST_LOGS_DIR, { recursive: true, force: true });
    await cp(LOGS_DIR, LAST_LOGS_DIR, { recursive: true });
  }
  await rm(STATE_DIR, { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  log(`cluster down in ${seconds.toFixed(1)} s${keptLogs ? ` (component logs kept in ${LAST_LOGS_DIR})` : ""}`);
  return { seconds };
}

/**
 * The e2e cluster's API for test suites:
 *
 *   import { ensureClusterUp, clusterDown, KUBECONFIG_PATH, E2E_NAMESPACE, WORKLOADS, IMAGES } from "@mirrord-ts/e2e/cluster";
 *
 * ensureClusterUp() boots the cluster (or reuses a healthy one) and resolves once the node,
 * CoreDNS and the test workloads are ready; clusterDown() removes every trace of it.
 */
import { clusterDown } from "./down.js";
import { acquireClusterLock, releaseClusterLock } from "./host/cluster-lock.js";
import { clusterUp, type UpReport } from "./up.js";

export { clusterDown, type DownReport } from "./down.js";
export { clusterIsHealthy, clusterUp, corednsAnswers, type UpReport } from "./up.js";
export { clusterStatus, formatStatus } from "./status.js";
export { kubectl } from "./components.js";
export { IMAGES, IMAGE_DOMAIN, buildAndImportImages, cachedImageArchive, importImage } from "./images.js";
export { E2E_NAMESPACE, WORKLOADS } from "./manifests.js";
export * from "./network.js";
export * from "./paths.js";
export { KUBERNETES_VERSION, COREDNS_VERSION } from "./versions.js";
export {
  busyboxEntries, executableWithLibraries, imageArchive, writeImageArchive, type ImageEntry, type ImageSpec,
} from "./image/docker-archive.js";

let lockHeld: Promise<void> | undefined;
let upOnce: Promise<UpReport> | undefined;

/**
 * Boots the cluster at most once per process (concurrent callers share the same boot) and
 * holds the machine's cluster lock until teardownCluster(), so another test run waits
 * instead of tearing the cluster down under this one.
 */
export async function ensureClusterUp(): Promise<UpReport> {
  lockHeld ??= acquireClusterLock(`e2e run (pid ${process.pid}) in ${process.cwd()}`);
  await lockHeld;
  upOnce ??= clusterUp().catch((error: unknown) => {
    upOnce = undefined;
    throw error;
  });
  return upOnce;
}

/**
 * Tears the cluster down (unless `keepRunning`) and releases the lock ensureClusterUp() took;
 * a later ensureClusterUp() boots it again.
 */
export async function teardownCluster(options: { keepRunning?: boolean } = {}): Promise<void> {
  upOnce = undefined;
  try {
    if (!options.keepRunning) await clusterDown();
  } finally {
    if (lockHeld) {
      lockHeld = undefined;
      releaseClusterLock();
    }
  }
}

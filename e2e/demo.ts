/**
 * The main job (`bash scripts/demo`): boots the local demo cluster, puts the agent image in
 * it, and shows mirrord at work — a local curl reaching a cluster Service by its name, a local
 * process reading the pod's env and files — then removes everything again (set
 * MIRRORD_DEMO_KEEP=1 to keep the cluster for your own tries; `pnpm cluster down` removes it).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importAgentImage } from "./agent/agent-image.js";
import { E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS, ensureClusterUp, teardownCluster } from "./cluster/index.js";
import { acquireClusterLock, releaseClusterLock } from "./cluster/host/cluster-lock.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(repo, "packages/core/dist/mirrord.js");
const { echo } = WORKLOADS;

function mirrord(args: string[]): number {
  console.log(`\n$ mirrord ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env: { ...process.env, KUBECONFIG: KUBECONFIG_PATH } });
  return result.status ?? 1;
}

await acquireClusterLock("demo");
let failed = 0;
try {
  console.log("demo: booting the local demo cluster (first run builds Kubernetes: ~10 min; later ~30 s)…");
  await ensureClusterUp();
  await importAgentImage();
  const target = ["-t", `deployment/${echo.name}`, "-n", E2E_NAMESPACE];
  failed += mirrord(["ls", "-n", E2E_NAMESPACE]) === 0 ? 0 : 1;
  failed += mirrord(["exec", ...target, "--", "curl", "-sS", `http://${echo.name}/hello-from-my-laptop`]) === 0 ? 0 : 1;
  failed += mirrord(["exec", ...target, "--", "sh", "-c", `echo "${echo.onlyVar[0]}=$${echo.onlyVar[0]}"; cat ${echo.onlyFile}`]) === 0 ? 0 : 1;
} finally {
  if (process.env.MIRRORD_DEMO_KEEP === "1") console.log(`\ndemo: the cluster keeps running (KUBECONFIG=${KUBECONFIG_PATH}); \`pnpm cluster down\` removes it.`);
  else await teardownCluster();
  releaseClusterLock();
}
process.exitCode = failed === 0 ? 0 : 1;

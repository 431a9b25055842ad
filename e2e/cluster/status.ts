/** `pnpm cluster status`: which components run, whether the node is Ready, and the workloads. */
import { existsSync } from "node:fs";
import { COMPONENT_ORDER, kubectl } from "./components.js";
import { isRunning, recordedDaemon } from "./host/processes.js";
import { E2E_NAMESPACE } from "./manifests.js";
import { KUBECONFIG_PATH, STATE_DIR } from "./paths.js";

export interface ClusterStatus {
  up: boolean;
  components: Record<string, { pid?: number; running: boolean }>;
  nodes?: string;
  workloads?: string;
}

export async function clusterStatus(): Promise<ClusterStatus> {
  const components: ClusterStatus["components"] = {};
  for (const name of COMPONENT_ORDER) {
    const record = await recordedDaemon(name);
    components[name] = { ...(record ? { pid: record.pid } : {}), running: record ? isRunning(record) : false };
  }
  const allRunning = Object.values(components).every((c) => c.running);
  const status: ClusterStatus = { up: false, components };
  if (components["kube-apiserver"]?.running) {
    const nodes = await kubectl(["get", "nodes", "-o", "wide"]);
    const workloads = await kubectl(["get", "deployments,pods,services", "-n", E2E_NAMESPACE, "-o", "wide"]);
    status.nodes = nodes.stdout.trim();
    status.workloads = workloads.stdout.trim();
    status.up = allRunning && / Ready /.test(nodes.stdout);
  }
  return status;
}

export function formatStatus(status: ClusterStatus): string {
  const lines = [
    `cluster: ${status.up ? "UP" : existsSync(STATE_DIR) ? "NOT HEALTHY (run `pnpm cluster down` or `up`)" : "DOWN"}`,
    ...Object.entries(status.components).map(
      ([name, c]) => `  ${name.padEnd(24)} ${c.running ? `running (pid ${c.pid})` : c.pid ? `dead (pid ${c.pid})` : "stopped"}`,
    ),
  ];
  if (status.up) lines.push(`kubeconfig: ${KUBECONFIG_PATH}`);
  if (status.nodes) lines.push("", status.nodes);
  if (status.workloads) lines.push("", status.workloads);
  return lines.join("\n");
}

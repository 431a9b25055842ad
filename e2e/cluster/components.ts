/** How each cluster component is started: its command line, and how to tell it is ready. */
import { existsSync } from "node:fs";
import { componentBinary } from "./build/kubernetes.js";
import { CERT } from "./config/certs.js";
import { CONFIG, kubeletArgs } from "./config/component-configs.js";
import { startDaemon, isRunning, daemonExitedError, type DaemonRecord } from "./host/processes.js";
import { API_SERVER_PORT, ETCD_CLIENT_URL, ETCD_PEER_URL, NODE_IP, SERVICE_RANGE } from "./network.js";
import { CONTAINERD_SOCKET, ETCD_DATA_DIR, KUBECONFIG_PATH } from "./paths.js";
import { runUnchecked, waitFor } from "./run.js";

/** Start order; `down` stops them in reverse. */
export const COMPONENT_ORDER = [
  "etcd", "containerd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy",
] as const;
export type ComponentName = (typeof COMPONENT_ORDER)[number];

/** Waits for `ready`, failing at once with the log's path if the daemon exits meanwhile. */
async function waitUntilReady(record: DaemonRecord, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  await waitFor(`${record.name} to become ready`, timeoutMs, async () => {
    if (!isRunning(record)) throw daemonExitedError(record);
    return (await ready()) ? true : undefined;
  }, 250);
}

export async function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runUnchecked(componentBinary("kubectl"), [`--kubeconfig=${KUBECONFIG_PATH}`, ...args]);
}

export async function startEtcd(): Promise<void> {
  const record = await startDaemon("etcd", "etcd", [
    "--name=mirrord-e2e",
    `--data-dir=${ETCD_DATA_DIR}`,
    `--listen-client-urls=${ETCD_CLIENT_URL}`,
    `--advertise-client-urls=${ETCD_CLIENT_URL}`,
    `--listen-peer-urls=${ETCD_PEER_URL}`,
    `--initial-advertise-peer-urls=${ETCD_PEER_URL}`,
    `--initial-cluster=mirrord-e2e=${ETCD_PEER_URL}`,
    "--log-level=warn",
  ]);
  await waitUntilReady(record, 30_000, async () => {
    const response = await fetch(`${ETCD_CLIENT_URL}/health`).catch(() => undefined);
    return response?.ok === true && ((await response.json()) as { health?: string }).health === "true";
  });
}

export async function startContainerd(): Promise<void> {
  const record = await startDaemon("containerd", "containerd", [`--config=${CONFIG.containerd}`]);
  await waitUntilReady(record, 30_000, async () =>
    existsSync(CONTAINERD_SOCKET) && (await runUnchecked("ctr", ["--address", CONTAINERD_SOCKET, "version"])).code === 0,
  );
}

export async function startApiServer(): Promise<void> {
  const record = await startDaemon("kube-apiserver", componentBinary("kube-apiserver"), [
    `--advertise-address=${NODE_IP}`,
    `--bind-address=${NODE_IP}`,
    `--secure-port=${API_SERVER_PORT}`,
    `--etcd-servers=${ETCD_CLIENT_URL}`,
    `--service-cluster-ip-range=${SERVICE_RANGE}`,
    `--tls-cert-file=${CERT.apiServerCert}`,
    `--tls-private-key-file=${CERT.apiServerKey}`,
    `--client-ca-file=${CERT.caCert}`,
    `--kubelet-client-certificate=${CERT.adminCert}`,
    `--kubelet-client-key=${CERT.adminKey}`,
    "--kubelet-preferred-address-types=InternalIP",
    `--service-account-key-file=${CERT.serviceAccountPub}`,
    `--service-account-signing-key-file=${CERT.serviceAccountKey}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    "--authorization-mode=Node,RBAC",
    "--enable-admission-plugins=NodeRestriction",
    "--allow-privileged=true",
    "--profiling=false",
    "--v=1",
  ]);
  await waitUntilReady(record, 90_000, async () => (await kubectl(["get", "--raw", "/readyz"])).stdout.trim() === "ok");
}

export async function startControllers(): Promise<void> {
  await startDaemon("kube-controller-manager", componentBinary("kube-controller-manager"), [
    `--kubeconfig=${KUBECONFIG_PATH}`,
    `--authentication-kubeconfig=${KUBECONFIG_PATH}`,
    `--authorization-kubeconfig=${KUBECONFIG_PATH}`,
    "--bind-address=127.0.0.1",
    "--leader-elect=false",
    `--root-ca-file=${CERT.caCert}`,
    `--cluster-signing-cert-file=${CERT.caCert}`,
    `--cluster-signing-key-file=${CERT.caKey}`,
    `--service-account-private-key-file=${CERT.serviceAccountKey}`,
    "--use-service-account-credentials=true",
    `--service-cluster-ip-range=${SERVICE_RANGE}`,
    "--profiling=false",
    "--v=1",
  ]);
  await startDaemon("kube-scheduler", componentBinary("kube-scheduler"), [
    `--kubeconfig=${KUBECONFIG_PATH}`,
    `--authentication-kubeconfig=${KUBECONFIG_PATH}`,
    `--authorization-kubeconfig=${KUBECONFIG_PATH}`,
    "--bind-address=127.0.0.1",
    "--leader-elect=false",
    "--profiling=false",
    "--v=1",
  ]);
}

export async function startNodeAgents(): Promise<void> {
  await startDaemon("kubelet", componentBinary("kubelet"), kubeletArgs());
  await startDaemon("kube-proxy", componentBinary("kube-proxy"), [`--config=${CONFIG.kubeProxy}`, "--v=1"]);
}


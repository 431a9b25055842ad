/**
 * Where the e2e cluster keeps things. Runtime state lives in one fixed folder outside any
 * clone, so `pnpm cluster down` from any clone finds and removes it; builds live in a cache
 * folder keyed by version, so a warm machine boots without compiling.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { COREDNS_VERSION, KUBERNETES_VERSION } from "./versions.js";

/** Root of this e2e package inside the clone. */
export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WORKLOADS_SOURCE_DIR = path.join(E2E_DIR, "workloads");
export const K8S_MAIN_SOURCE_DIR = path.join(E2E_DIR, "cluster", "go", "k8s");

export const CACHE_DIR = process.env.MIRRORD_TS_CACHE ?? "/var/cache/mirrord-ts";
export const GO_MOD_CACHE = path.join(CACHE_DIR, "go-mod");
export const GO_BUILD_CACHE = path.join(CACHE_DIR, "go-build");
export const KUBERNETES_BUILD_DIR = path.join(CACHE_DIR, `k8s-${KUBERNETES_VERSION}`);
/** The multi-call binary; kube-apiserver, kubelet, kubectl, … are symlinks to it beside it. */
export const K8S_BINARY = path.join(KUBERNETES_BUILD_DIR, "bin", "k8s");
export const KUBECTL_BINARY = path.join(KUBERNETES_BUILD_DIR, "bin", "kubectl");
export const COREDNS_BINARY = path.join(CACHE_DIR, `coredns-${COREDNS_VERSION}`, "bin", "coredns");
export const WORKLOAD_BINARIES_DIR = path.join(CACHE_DIR, "workloads", "bin");
export const IMAGE_ARCHIVES_DIR = path.join(CACHE_DIR, "images");
/** Build durations (cold builds) are recorded here for the report. */
export const BUILD_TIMES_FILE = path.join(CACHE_DIR, "build-times.json");
/** Component logs of the last cluster are moved here by `down`, for post-mortems. */
export const LAST_LOGS_DIR = path.join(CACHE_DIR, "last-cluster-logs");

export const STATE_DIR = "/var/lib/mirrord-ts-e2e";
/** Admin kubeconfig (system:masters) written by `pnpm cluster up`. */
export const KUBECONFIG_PATH = path.join(STATE_DIR, "kubeconfig");
export const CERTS_DIR = path.join(STATE_DIR, "pki");
export const CONFIG_DIR = path.join(STATE_DIR, "config");
export const LOGS_DIR = path.join(STATE_DIR, "logs");
export const PIDS_DIR = path.join(STATE_DIR, "pids");
export const ETCD_DATA_DIR = path.join(STATE_DIR, "etcd");
export const CONTAINERD_DIR = path.join(STATE_DIR, "containerd");
export const CONTAINERD_SOCKET = path.join(CONTAINERD_DIR, "containerd.sock");
export const KUBELET_ROOT_DIR = path.join(STATE_DIR, "kubelet");
export const CNI_CONFIG_DIR = path.join(STATE_DIR, "cni", "net.d");
export const CNI_IPAM_DIR = path.join(STATE_DIR, "cni", "ipam");
/** What the host looked like before `up` (sysctls, which fixed paths existed), for `down`. */
export const HOST_BEFORE_FILE = path.join(STATE_DIR, "host-before.json");

/**
 * Paths outside STATE_DIR that the kubelet, containerd and libcni write whatever they are
 * told (CLUSTER-NOTES pitfall 4); `down` removes each one that did not exist before `up`.
 */
export const FIXED_RUNTIME_PATHS = [
  "/var/lib/kubelet",
  "/var/log/pods",
  "/var/log/containers",
  "/var/lib/cni",
  "/run/containerd",
  "/run/netns",
  "/etc/cni",
  "/opt/cni",
];

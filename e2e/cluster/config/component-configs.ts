/**
 * Configuration files of containerd, CNI, the kubelet and kube-proxy. Each setting that is
 * not a default answers a fact of this machine kind (see CLUSTER-NOTES): no CAP_SYS_RESOURCE
 * (oom_score_adj), cgroup v1 without systemd, no dummy interfaces, nothing leaving the host.
 */
import path from "node:path";
import {
  BRIDGE_NAME, CLUSTER_DOMAIN, DNS_SERVICE_IP, NODE_IP, NODE_NAME, POD_GATEWAY, POD_RANGE, POD_SUBNET, SERVICE_RANGE,
} from "../network.js";
import { CNI_CONFIG_DIR, CNI_IPAM_DIR, CONFIG_DIR, CONTAINERD_DIR, CONTAINERD_SOCKET, KUBELET_ROOT_DIR } from "../paths.js";
import { CERT } from "./certs.js";

export const CONFIG = {
  containerd: path.join(CONFIG_DIR, "containerd.toml"),
  kubelet: path.join(CONFIG_DIR, "kubelet.json"),
  kubeletResolvConf: path.join(CONFIG_DIR, "kubelet-resolv.conf"),
  kubeletKubeconfig: path.join(CONFIG_DIR, "kubelet.kubeconfig"),
  kubeProxy: path.join(CONFIG_DIR, "kube-proxy.json"),
  cniConflist: path.join(CNI_CONFIG_DIR, "10-mirrord-e2e.conflist"),
};

export function containerdToml(sandboxImage: string): string {
  return `version = 2
root = "${path.join(CONTAINERD_DIR, "root")}"
state = "${path.join(CONTAINERD_DIR, "state")}"
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "${CONTAINERD_SOCKET}"

[ttrpc]
  address = "${CONTAINERD_SOCKET}.ttrpc"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  # Root here lacks CAP_SYS_RESOURCE: a negative oom_score_adj would fail every sandbox.
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${CNI_CONFIG_DIR}"
    max_conf_num = 1
`;
}

/** Bridge CNI: no masquerade and no default route in pods, so pods reach only the cluster. */
export function cniConflist(): string {
  return JSON.stringify(
    {
      cniVersion: "0.4.0",
      name: "mirrord-e2e",
      plugins: [
        {
          type: "bridge",
          bridge: BRIDGE_NAME,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            dataDir: CNI_IPAM_DIR,
            ranges: [[{ subnet: POD_SUBNET, gateway: POD_GATEWAY }]],
            routes: [{ dst: SERVICE_RANGE }, { dst: `${NODE_IP}/32` }],
          },
        },
      ],
    },
    null,
    2,
  );
}

export function kubeletConfig(): string {
  return JSON.stringify(
    {
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      address: NODE_IP,
      port: 10250,
      readOnlyPort: 0,
      healthzBindAddress: "127.0.0.1",
      healthzPort: 10248,
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true },
        x509: { clientCAFile: CERT.caCert },
      },
      authorization: { mode: "Webhook" },
      cgroupDriver: "cgroupfs",
      containerRuntimeEndpoint: `unix://${CONTAINERD_SOCKET}`,
      failSwapOn: false,
      oomScoreAdj: 0,
      clusterDNS: [DNS_SERVICE_IP],
      clusterDomain: CLUSTER_DOMAIN,
      resolvConf: CONFIG.kubeletResolvConf,
      rotateCertificates: false,
      serverTLSBootstrap: false,
      // Imported images cannot be pulled again: never garbage-collect them.
      imageGCHighThresholdPercent: 100,
      imageGCLowThresholdPercent: 99,
      evictionHard: { "memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%" },
      maxPods: 110,
      podPidsLimit: -1,
      serializeImagePulls: false,
      volumeStatsAggPeriod: "0s",
      // This VM has only cgroup v1 hierarchies; from v1.35 the kubelet refuses them unless told.
      failCgroupV1: false,
    },
    null,
    2,
  );
}

export function kubeletArgs(): string[] {
  return [
    `--config=${CONFIG.kubelet}`,
    `--kubeconfig=${CONFIG.kubeletKubeconfig}`,
    `--root-dir=${KUBELET_ROOT_DIR}`,
    `--cert-dir=${path.join(KUBELET_ROOT_DIR, "pki")}`,
    `--hostname-override=${NODE_NAME}`,
    `--node-ip=${NODE_IP}`,
    "--v=1",
  ];
}

export function kubeProxyConfig(kubeconfig: string): string {
  return JSON.stringify(
    {
      apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
      kind: "KubeProxyConfiguration",
      clientConnection: { kubeconfig },
      mode: "iptables",
      clusterCIDR: POD_RANGE,
      hostnameOverride: NODE_NAME,
      bindAddress: NODE_IP,
      healthzBindAddress: "127.0.0.1:10256",
      metricsBindAddress: "127.0.0.1:10249",
      nodePortAddresses: [`${NODE_IP}/32`],
      oomScoreAdj: 0,
      iptables: { localhostNodePorts: false, masqueradeAll: false, syncPeriod: "30s", minSyncPeriod: "0s" },
      // Zeros keep kube-proxy from rewriting the host's conntrack sysctls.
      conntrack: {
        maxPerCore: 0,
        min: 0,
        tcpEstablishedTimeout: "0s",
        tcpCloseWaitTimeout: "0s",
        udpTimeout: "0s",
        udpStreamTimeout: "0s",
      },
    },
    null,
    2,
  );
}

/** No nameserver: pods resolve only through CoreDNS, which answers only cluster names. */
export const KUBELET_RESOLV_CONF = "options ndots:5\n";

export const COREFILE = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
}
`;

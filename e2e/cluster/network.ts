/**
 * The cluster's address plan. None of it touches the machine's own nameserver
 * (10.255.255.53) or network (192.0.2.0/24); `up` blackholes the pod range and routes the
 * service range to lo so no packet for the cluster can leave the machine.
 */
export const NODE_NAME = "mirrord-e2e-node";
/** The node's address: a /32 on lo (this kernel has no dummy interfaces). */
export const NODE_IP = "10.240.0.1";
export const POD_RANGE = "10.244.0.0/16";
/** The bridge's subnet, inside POD_RANGE: its connected route wins over the blackhole. */
export const POD_SUBNET = "10.244.0.0/24";
export const POD_GATEWAY = "10.244.0.1";
export const BRIDGE_NAME = "cni0";
export const SERVICE_RANGE = "10.96.0.0/16";
export const API_SERVICE_IP = "10.96.0.1";
export const DNS_SERVICE_IP = "10.96.0.10";
export const CLUSTER_DOMAIN = "cluster.local";
export const API_SERVER_PORT = 6443;
export const API_SERVER_URL = `https://${NODE_IP}:${API_SERVER_PORT}`;
export const ETCD_CLIENT_URL = "http://127.0.0.1:12379";
export const ETCD_PEER_URL = "http://127.0.0.1:12380";

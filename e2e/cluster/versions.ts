/**
 * Versions of what the e2e cluster builds. KUBERNETES_VERSION is the one knob for the
 * Kubernetes components: v1.37 is the newest minor the Go module proxy serves, and the whole
 * suite passes with it on this machine kind's cgroup v1 hierarchy (kubelet `failCgroupV1:
 * false`) and Debian's etcd 3.4; v1.31.4, v1.34.4 and v1.35.4 pass too (e2e/cluster/README.md).
 */
export const KUBERNETES_VERSION = process.env.MIRRORD_TS_K8S_VERSION ?? "v1.37.2";
export const COREDNS_VERSION = "v1.11.3";

/** `v1.31.4` → the staging modules' `v0.31.4` and the minor `31`. */
export function kubernetesVersionParts(version: string): { major: string; minor: string; stagingVersion: string } {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`Kubernetes version "${version}" is not of the form v1.MINOR.PATCH.`);
  const [, major, minor, patch] = match as unknown as [string, string, string, string];
  return { major, minor, stagingVersion: `v0.${minor}.${patch}` };
}

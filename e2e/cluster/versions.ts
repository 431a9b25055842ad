/**
 * Versions of what the e2e cluster builds. KUBERNETES_VERSION is the one knob for the
 * Kubernetes components: v1.31 is the newest minor proven on this machine kind's cgroup v1
 * hierarchy with Debian's etcd 3.4 (see e2e/cluster/README.md for why).
 */
export const KUBERNETES_VERSION = process.env.MIRRORD_TS_K8S_VERSION ?? "v1.31.4";
export const COREDNS_VERSION = "v1.11.3";

/** `v1.31.4` → the staging modules' `v0.31.4` and the minor `31`. */
export function kubernetesVersionParts(version: string): { major: string; minor: string; stagingVersion: string } {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`Kubernetes version "${version}" is not of the form v1.MINOR.PATCH.`);
  const [, major, minor, patch] = match as unknown as [string, string, string, string];
  return { major, minor, stagingVersion: `v0.${minor}.${patch}` };
}

/** The Debian packages the cluster runs on, installed non-interactively when missing. */
import { run, runUnchecked } from "../run.js";

export const DEBIAN_PACKAGES = [
  "containerd", "runc", "containernetworking-plugins", "iptables", "conntrack", "etcd-server",
  "busybox-static", "socat", "openssl", "iproute2", "gcc", "libc6-dev",
];

async function isInstalled(name: string): Promise<boolean> {
  const result = await runUnchecked("dpkg-query", ["-W", "-f=${Status}", name]);
  return result.code === 0 && result.stdout.includes("install ok installed");
}

export async function ensureDebianPackages(): Promise<void> {
  const missing: string[] = [];
  for (const name of DEBIAN_PACKAGES) if (!(await isInstalled(name))) missing.push(name);
  if (missing.length === 0) return;
  process.stderr.write(`cluster: installing Debian packages: ${missing.join(" ")}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update", "-qq"], { env });
  await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
}

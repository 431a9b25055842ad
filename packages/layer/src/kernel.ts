// Whether this kernel can run the layer, in one sentence the CLI can print.
import { addon, type RawKernelCheck } from "./native.js";

export type KernelFeature = "seccomp-user-notification" | "wait-killable-recv" | "addfd" | "addfd-send" | "pidfd-getfd";

export interface KernelCheck {
  release: string;
  missing: KernelFeature[];
  /** One sentence naming the kernel and what it lacks; undefined when nothing is missing. */
  problem?: string;
}

const needs: Record<KernelFeature, string> = {
  "seccomp-user-notification": "seccomp user notification (5.0)",
  "pidfd-getfd": "pidfd_getfd (5.6)",
  addfd: "SECCOMP_IOCTL_NOTIF_ADDFD (5.9)",
  "addfd-send": "SECCOMP_ADDFD_FLAG_SEND (5.14)",
  "wait-killable-recv": "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19)",
};

export function checkKernel(): KernelCheck {
  if (process.platform !== "linux") {
    return { release: process.platform, missing: ["seccomp-user-notification"], problem: `mirrord's layer needs Linux 5.19 or newer; this is ${process.platform}.` };
  }
  return describeKernel(addon().checkKernel());
}

/** The verdict on probed features (separate from the probe so it can be checked on any input). */
export function describeKernel(raw: RawKernelCheck): KernelCheck {
  const missing: KernelFeature[] = [];
  if (!raw.userNotification) missing.push("seccomp-user-notification");
  if (!raw.pidfdGetfd) missing.push("pidfd-getfd");
  if (!raw.addfd) missing.push("addfd");
  if (!raw.addfdSend) missing.push("addfd-send");
  if (!raw.waitKillableRecv) missing.push("wait-killable-recv");
  const result: KernelCheck = { release: raw.release, missing };
  if (raw.probeError !== 0) {
    result.problem = `Could not probe Linux ${raw.release} for seccomp user notification (error ${-raw.probeError}); mirrord needs Linux 5.19 or newer.`;
  } else if (missing.length > 0) {
    result.problem = `Linux ${raw.release} lacks ${missing.map((f) => needs[f]).join(", ")}; mirrord needs Linux 5.19 or newer.`;
  }
  return result;
}

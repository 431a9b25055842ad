/**
 * Builds the test workloads (e2e/workloads, static Go) and the pod sandbox's pause
 * program (static C). Go's build cache makes a rebuild of unchanged sources take seconds.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { WORKLOAD_BINARIES_DIR, WORKLOADS_SOURCE_DIR } from "../paths.js";
import { run } from "../run.js";
import { goEnv } from "./go-env.js";

export const WORKLOAD_PROGRAMS = ["echo", "tcp-udp-echo", "queue-broker", "queue-reader"] as const;
export type WorkloadProgram = (typeof WORKLOAD_PROGRAMS)[number] | "pause";

export function workloadBinary(program: WorkloadProgram): string {
  return path.join(WORKLOAD_BINARIES_DIR, program);
}

export async function buildWorkloads(): Promise<void> {
  await mkdir(WORKLOAD_BINARIES_DIR, { recursive: true });
  await run("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", `${WORKLOAD_BINARIES_DIR}/`, ...WORKLOAD_PROGRAMS.map((p) => `./${p}`)], {
    cwd: WORKLOADS_SOURCE_DIR,
    env: goEnv(),
  });
  await run("cc", ["-static", "-Os", "-s", "-o", workloadBinary("pause"), path.join(WORKLOADS_SOURCE_DIR, "pause", "pause.c")]);
}

/**
 * Starts the steal gate (native/nfq-gate.c, shipped next to the agent bundle): the process
 * whose life the gated rules depend on (iptables.ts). It dies with the worker (PDEATHSIG),
 * so a killed agent's rules fail open. Without it (no binary, no NFQUEUE in the kernel) the
 * agent falls back to plain REDIRECT rules, whose leftovers need the next agent's sweep.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { StealGate } from "./iptables.js";

/** The mark bit the gate sets; one bit, so the pod's other marks (Istio's) are kept. */
export const GATE_MARK = 0x10000000;

/** Next to the bundle (the image's /app), or the package's dist/ when run from source. */
export function gateBinary(): string {
  const candidates = [path.join(path.dirname(process.argv[1] ?? "."), "nfq-gate"), fileURLToPath(new URL("../../dist/nfq-gate", import.meta.url))];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

export type GateStart = { gate: StealGate; process: ChildProcess } | { gate: undefined; reason: string };

/** Queue numbers are per network namespace; start the search at one derived from the id. */
export function firstQueueFor(agentId: string): number {
  return (Number.parseInt(agentId.slice(0, 4), 16) || 0) % 65_000;
}

export async function startGate(agentId: string, binary = gateBinary(), timeoutMs = 5_000): Promise<GateStart> {
  if (!existsSync(binary)) return { gate: undefined, reason: `${binary} is missing` };
  const child = spawn(binary, [String(firstQueueFor(agentId)), `0x${GATE_MARK.toString(16)}`], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<GateStart>((resolve) => {
    let stdout = "";
    const fail = (reason: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve({ gate: undefined, reason });
    };
    const timer = setTimeout(() => fail(`it did not answer within ${timeoutMs} ms`), timeoutMs);
    child.on("error", (error) => fail(error.message));
    child.on("exit", (code, signal) => fail((stderr.trim() || `it exited (${signal ?? `code ${code}`})`).replace(/^nfq-gate: /, "")));
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^queue (\d+)\n/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout!.removeAllListeners("data");
      resolve({ gate: { queue: Number(match[1]), mark: GATE_MARK }, process: child });
    });
  });
}

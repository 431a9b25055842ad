/**
 * `pnpm bench tunnel`: on the real e2e cluster, in one run,
 *  - session-ready time: from startAgentSession() to the first byte echoed back through the
 *    tunnel (agent connectTcp to the tcp-udp-echo pod's own port 9000), agent image cached
 *    (one warm-up session first), median of N per spawn mode;
 *  - bulk throughput: 64 MiB sent and echoed back through the agent's connectTcp, vs the same
 *    through `kubectl port-forward` to the same pod and port; median of R, and the ratio.
 * Traffic goes only to the cluster's pods (through the API server's port-forward).
 * Env: BENCH_READY_RUNS (5), BENCH_BULK_MIB (64), BENCH_BULK_RUNS (3).
 */
import { spawn } from "node:child_process";
import net from "node:net";
import type { Duplex } from "node:stream";
import { openCluster, recordingProgress, startAgentSession, type AgentSession, type Cluster } from "@mirrord-ts/core";
import { importAgentImage } from "../agent/agent-image.js";
import { E2E_NAMESPACE, KUBECONFIG_PATH, KUBECTL_BINARY, WORKLOADS, clusterIsHealthy, ensureClusterUp, teardownCluster } from "../cluster/index.js";
import { configFor, deleteSessionJobs, podNames } from "../support/agent-helpers.js";

const { tcpUdpEcho } = WORKLOADS;
const READY_RUNS = Number(process.env.BENCH_READY_RUNS ?? 5);
const BULK_MIB = Number(process.env.BENCH_BULK_MIB ?? 64);
const BULK_RUNS = Number(process.env.BENCH_BULK_RUNS ?? 3);
const TRANSFER_TIMEOUT_MS = 180_000;
const OVERALL_TIMEOUT_MS = 20 * 60_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Writes `bytes` (with backpressure) and resolves to the ms until as many came back. */
function echoTransfer(stream: Duplex, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let received = 0;
    const timer = setTimeout(() => reject(new Error(`transfer timed out after ${TRANSFER_TIMEOUT_MS} ms (${received} of ${bytes} bytes back)`)), TRANSFER_TIMEOUT_MS);
    stream.on("data", (data: Buffer) => {
      received += data.length;
      if (received >= bytes) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    stream.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        const piece = bytes - sent >= chunk.length ? chunk : chunk.subarray(0, bytes - sent);
        sent += piece.length;
        if (!stream.write(piece)) {
          stream.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

/** One byte out, the first byte back. */
function firstByte(stream: Duplex): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("data", () => resolve());
    stream.once("error", reject);
    stream.write("x");
  });
}

async function sessionReady(cluster: Cluster, mode: "job" | "ephemeral", sessionId: string): Promise<{ ms: number; session: AgentSession }> {
  const started = performance.now();
  const session = await startAgentSession({ cluster, config: configFor(`deployment/${tcpUdpEcho.name}`, { ephemeral: mode === "ephemeral" }), progress: recordingProgress(), sessionId });
  try {
    const stream = await session.connection.connectTcp("127.0.0.1", tcpUdpEcho.port, 10_000);
    await firstByte(stream);
    const ms = performance.now() - started;
    stream.destroy();
    return { ms, session };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** `kubectl port-forward pod/<pod> :9000`; resolves to the local port and a stop function. */
function kubectlPortForward(pod: string): Promise<{ port: number; stop: () => void }> {
  const child = spawn(KUBECTL_BINARY, [`--kubeconfig=${KUBECONFIG_PATH}`, "port-forward", "-n", E2E_NAMESPACE, `pod/${pod}`, `:${tcpUdpEcho.port}`], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`kubectl port-forward did not start: ${output}`));
    }, 20_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stop: () => child.kill("SIGTERM") });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward exited (${code}): ${output}`));
    });
  });
}

function connectLocal(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => resolve(socket));
    socket.once("error", reject);
  });
}

const mibPerSecond = (bytes: number, ms: number): number => bytes / (1024 * 1024) / (ms / 1000);
const fmt = (n: number, digits = 1): string => n.toFixed(digits);

export async function benchTunnel(): Promise<void> {
  const wasUp = await clusterIsHealthy();
  await ensureClusterUp();
  const sessionIds: string[] = [];
  const open: AgentSession[] = [];
  const stops: (() => void)[] = [];
  const overall = setTimeout(() => {
    process.stderr.write(`bench tunnel: gave up after ${OVERALL_TIMEOUT_MS / 60_000} min\n`);
    process.exitCode = 1;
    for (const stop of stops) stop();
    void Promise.all(open.map((s) => s.close())).finally(() => process.exit(1));
  }, OVERALL_TIMEOUT_MS);
  try {
    await importAgentImage();
    const cluster = openCluster({ kubeconfig: KUBECONFIG_PATH, env: {} });
    const [pod] = await podNames(tcpUdpEcho.name);
    if (!pod) throw new Error("no tcp-udp-echo pod runs");
    const id = (what: string): string => {
      const sessionId = `bench-${what}-${Date.now().toString(36)}`;
      sessionIds.push(sessionId);
      return sessionId;
    };

    // Warm-up (image on the node, code paths loaded): not counted.
    const warm = await sessionReady(cluster, "job", id("warm"));
    await warm.session.close();

    const ready: Record<string, number[]> = { job: [], ephemeral: [] };
    for (const mode of ["job", "ephemeral"] as const) {
      for (let i = 0; i < READY_RUNS; i++) {
        const { ms, session } = await sessionReady(cluster, mode, id(`ready-${mode}-${i}`));
        ready[mode]!.push(ms);
        await session.close();
        process.stderr.write(`session ready (${mode}) #${i + 1}: ${fmt(ms, 0)} ms\n`);
      }
    }

    const bytes = BULK_MIB * 1024 * 1024;
    const tunnel: number[] = [];
    const forward: number[] = [];
    const bulk = await startAgentSession({ cluster, config: configFor(`deployment/${tcpUdpEcho.name}`), progress: recordingProgress(), sessionId: id("bulk") });
    open.push(bulk);
    const portForward = await kubectlPortForward(pod);
    stops.push(portForward.stop);
    // Alternate the two so that load elsewhere on the machine hits both alike.
    for (let i = 0; i < BULK_RUNS; i++) {
      const stream = await bulk.connection.connectTcp("127.0.0.1", tcpUdpEcho.port, 10_000);
      const tunnelMs = await echoTransfer(stream, bytes);
      stream.destroy();
      tunnel.push(tunnelMs);
      const socket = await connectLocal(portForward.port);
      const forwardMs = await echoTransfer(socket, bytes);
      socket.destroy();
      forward.push(forwardMs);
      process.stderr.write(`bulk #${i + 1}: tunnel ${fmt(tunnelMs, 0)} ms, kubectl port-forward ${fmt(forwardMs, 0)} ms\n`);
    }
    portForward.stop();
    await bulk.close();

    const tunnelRate = mibPerSecond(bytes, median(tunnel));
    const forwardRate = mibPerSecond(bytes, median(forward));
    const lines = [
      `bench tunnel (pod ${E2E_NAMESPACE}/${pod}, port ${tcpUdpEcho.port}; ${new Date().toISOString()})`,
      ...(["job", "ephemeral"] as const).map(
        (mode) => `session ready, ${mode} mode (API call → first byte echoed through the tunnel), median of ${READY_RUNS}: ${fmt(median(ready[mode]!), 0)} ms (min ${fmt(Math.min(...ready[mode]!), 0)}, max ${fmt(Math.max(...ready[mode]!), 0)}; ${ready[mode]!.map((v) => fmt(v, 0)).join(", ")})`,
      ),
      `bulk ${BULK_MIB} MiB out and echoed back, median of ${BULK_RUNS}:`,
      `  agent tunnel (connectTcp over gRPC over port-forward): ${fmt(median(tunnel), 0)} ms = ${fmt(tunnelRate)} MiB/s each way (${tunnel.map((v) => fmt(v, 0)).join(", ")} ms)`,
      `  kubectl port-forward:                                  ${fmt(median(forward), 0)} ms = ${fmt(forwardRate)} MiB/s each way (${forward.map((v) => fmt(v, 0)).join(", ")} ms)`,
      `  ratio tunnel / port-forward: ${fmt(tunnelRate / forwardRate, 2)}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    clearTimeout(overall);
    for (const stop of stops) stop();
    for (const session of open) await session.close();
    for (const sessionId of sessionIds) await deleteSessionJobs(sessionId);
    await teardownCluster({ keepRunning: wasUp || process.env.MIRRORD_E2E_KEEP_CLUSTER === "1" });
  }
}

// Run by bench/run.ts (`pnpm bench tunnel`) as a script of its own.
if (process.argv[1] && import.meta.url === (await import("node:url")).pathToFileURL(process.argv[1]).href) {
  await benchTunnel().catch((error: unknown) => {
    process.stderr.write(`bench tunnel failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

/**
 * The worker: the gRPC server and everything it serves. It runs with the agent gid (the
 * guard starts it so), which the OUTPUT rules let through. It exits, removing its rules
 * and continuing a paused target, when the last session has been gone for the
 * communication timeout, on SIGTERM/SIGINT, when the guard goes away, and on a crash.
 */
import { setTimeout as sleep } from "node:timers/promises";
import * as grpc from "@grpc/grpc-js";
import { agentService } from "@mirrord-ts/protocol";
import type { AgentHandlers } from "@mirrord-ts/protocol";
import type { AgentArgs } from "./args.js";
import { unary } from "./calls.js";
import { lookupHost } from "./dns/lookup.js";
import { probeSources } from "./incoming/probe-sources.js";
import { IncomingTraffic } from "./incoming/service.js";
import { AgentRedirects, Iptables } from "./lifecycle/iptables.js";
import { CLOSE_DRAIN_MS } from "./incoming/in-flight.js";
import { CLOSE_FLUSH_MS } from "./incoming/steal.js";
import { startGate } from "./lifecycle/nfq-gate.js";
import { widenFlowControlWindows } from "./flow-control.js";
import { SessionRegistry } from "./lifecycle/sessions.js";
import { Log } from "./log.js";
import { connectTcpHandler } from "./outgoing/tcp.js";
import { udpSocketHandler } from "./outgoing/udp.js";
import { sessionHandler } from "./session-service.js";
import { TargetService } from "./target/service.js";

/** The line the worker prints on stdout once it serves: what a spawner waits for. */
export interface ReadyLine {
  event: "ready";
  agentId: string;
  port: number;
  pid: number;
}

export async function runWorker(args: AgentArgs): Promise<void> {
  const log = new Log(`agent ${args.agentId} worker`, args.logLevel);
  const iptables = new Iptables(args.iptables);
  const excluded = probeSources(args.excludeSources);
  const started = await startGate(args.agentId);
  if (started.gate) {
    // Without the gate the stolen ports would silently fall through to the app.
    started.process.on("exit", (code, signal) => shutdown(`the steal gate exited (${signal ?? `code ${code}`})`, 70));
  } else {
    log.info(`stolen ports use plain REDIRECT rules (until the next agent sweeps them, a killed agent's rules would refuse connections): no NFQUEUE gate: ${started.reason}`);
  }
  const redirects = new AgentRedirects(iptables, args.agentId, args.agentGid, excluded, started.gate, {
    ipv6Unavailable: (reason) => log.info(`IPv6 traffic is not redirected: ${reason}`),
    meshFound: (mesh, binary) => log.info(`the pod has a mesh sidecar (${mesh}) in ${binary}'s nat table: stolen and mirrored ports are taken where the sidecar hands traffic to the app`),
  });
  let exiting = false;

  const shutdown = (reason: string, code: number): void => {
    if (exiting) return;
    exiting = true;
    log.info(`exiting: ${reason}`);
    let subscriptionsClosed: Promise<unknown> = Promise.resolve();
    try {
      registry.closeAll(reason);
      subscriptionsClosed = incoming.closeAll();
      target.pauser?.resumeNow();
    } catch (error) {
      log.error(`while exiting: ${(error as Error).message}`);
    }
    // The subscriptions answer what their clients held, let requests on their way to the app
    // finish and end their connections first; only then the rules go, and with them, maybe,
    // the namespace's conntrack.
    const removeRulesAndExit = (): void => {
      try {
        redirects.removeAll();
      } finally {
        server.forceShutdown();
        process.exit(code);
      }
    };
    void Promise.race([subscriptionsClosed, sleep(CLOSE_FLUSH_MS + CLOSE_DRAIN_MS)]).then(() => setTimeout(removeRulesAndExit, CLOSE_FLUSH_MS));
  };

  const registry = new SessionRegistry(
    args.communicationTimeoutMs,
    () => shutdown(`no session for ${args.communicationTimeoutMs} ms`, 0),
    (session, reason) => log.info(`session ${session.id} ended: ${reason}`),
  );
  const incoming = new IncomingTraffic(registry, redirects, log);
  const target = new TargetService(registry, args.targetPid, args.agentId);

  const handlers: AgentHandlers = {
    Session: sessionHandler(registry, args, log),
    ConnectTcp: connectTcpHandler(registry),
    UdpSocket: udpSocketHandler(registry),
    LookupHost: unary(registry, (request) => lookupHost(args.resolvRoot, request)),
    Steal: incoming.stealHandler(),
    Mirror: incoming.mirrorHandler(),
    ...target.handlers(),
  };

  const server = new grpc.Server({
    // Find dead HTTP/2 connections (a killed client behind a port-forward) without traffic.
    "grpc.keepalive_time_ms": 10_000,
    "grpc.keepalive_timeout_ms": 5_000,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
  });
  server.addService(agentService().service, handlers);

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => shutdown(`got ${signal}`, 0));
  // The guard holds the IPC channel; if it is gone, nobody would clean up after us.
  process.on("disconnect", () => shutdown("the guard process is gone", 0));
  process.on("uncaughtException", (error) => {
    log.error(`crash: ${error.stack ?? error.message}`);
    shutdown("uncaught exception", 70);
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${args.listenHost}:${args.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  widenFlowControlWindows(server, log);
  const ready: ReadyLine = { event: "ready", agentId: args.agentId, port, pid: process.pid };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  const gated = started.gate ? `gated by NFQUEUE ${started.gate.queue}` : "not gated";
  log.info(`serving on ${args.listenHost}:${port}; communication timeout ${args.communicationTimeoutMs} ms; target pid ${args.targetPid ?? "none"}; never redirected: ${excluded.join(", ") || "nothing"}; steal ${gated}`);
}

/** The Session call: version handshake first, then pings that keep the session alive. */
import * as grpc from "@grpc/grpc-js";
import { PROTOCOL_VERSION, versionMismatchSentence } from "@mirrord-ts/protocol";
import type { AgentHandlers } from "@mirrord-ts/protocol";
import { failStream } from "./calls.js";
import type { Session, SessionRegistry } from "./lifecycle/sessions.js";
import type { Log } from "./log.js";

export interface SessionServiceConfig {
  agentId: string;
  targetPid: number | undefined;
  communicationTimeoutMs: number;
}

export function sessionHandler(registry: SessionRegistry, config: SessionServiceConfig, log: Log): AgentHandlers["Session"] {
  return (call) => {
    let session: Session | undefined;
    /** `lastAlive`: a client that vanished (cancel) was last known alive at its last message. */
    const end = (reason: string, lastAlive?: number): void => {
      if (session) registry.close(session.id, reason, lastAlive ?? Date.now());
    };
    call.on("data", (message) => {
      if (!session) {
        if (message.message !== "hello" || !message.hello) {
          return failStream(call, grpc.status.FAILED_PRECONDITION, "The first message of Session must be hello.");
        }
        const clientVersion = message.hello.protocolVersion;
        if (clientVersion !== PROTOCOL_VERSION) {
          log.error(`refused client "${message.hello.clientName}": ${versionMismatchSentence(clientVersion, PROTOCOL_VERSION)}`);
          return failStream(call, grpc.status.FAILED_PRECONDITION, versionMismatchSentence(clientVersion, PROTOCOL_VERSION));
        }
        const opened = registry.open();
        session = opened;
        opened.onClose(() => call.end());
        log.info(`session ${opened.id} opened by "${message.hello.clientName}"`);
        call.write({
          hello: {
            protocolVersion: PROTOCOL_VERSION,
            agentId: config.agentId,
            sessionId: opened.id,
            communicationTimeoutMs: config.communicationTimeoutMs,
            targetPid: config.targetPid ?? 0,
          },
        });
      } else if (message.message === "ping" && message.ping) {
        session.touch();
        call.write({ pong: { seq: message.ping.seq } });
      }
    });
    call.on("end", () => {
      end("the client closed the session");
      call.end();
    });
    call.on("cancelled", () => end("the session call was cancelled (client gone)", session?.lastSeenAt));
    call.on("error", () => end("the session call failed", session?.lastSeenAt));
  };
}

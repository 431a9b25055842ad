/** Outgoing TCP: one ConnectTcp call is one connection made from the agent's namespace. */
import * as grpc from "@grpc/grpc-js";
import { Socket } from "node:net";
import type { AgentHandlers, TcpAgentMessage } from "@mirrord-ts/protocol";
import { bindStreamToSession, failStream, ioError } from "../calls.js";
import type { SessionRegistry } from "../lifecycle/sessions.js";

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function connectTcpHandler(registry: SessionRegistry): AgentHandlers["ConnectTcp"] {
  return (call) => {
    let socket: Socket | undefined;
    const session = bindStreamToSession(registry, call, () => socket?.destroy());
    if (!session) return;
    const send = (message: TcpAgentMessage): void => {
      if (!call.write(message)) socket?.pause();
    };
    call.on("drain", () => socket?.resume());

    call.on("data", (message) => {
      if (message.message === "connect") {
        if (socket || !message.connect?.remote) return failStream(call, grpc.status.INVALID_ARGUMENT, "connect must come first, once, with a remote address.");
        const { ip, port } = message.connect.remote;
        const timeout = message.connect.timeoutMs || DEFAULT_CONNECT_TIMEOUT_MS;
        const s = new Socket();
        socket = s;
        const timer = setTimeout(() => s.destroy(Object.assign(new Error(`connect to ${ip}:${port} timed out`), { code: "ETIMEDOUT" })), timeout);
        s.connect({ host: ip, port, noDelay: true }, () => {
          clearTimeout(timer);
          send({ connected: { local: { ip: s.localAddress ?? "", port: s.localPort ?? 0 }, remote: { ip, port } } });
        });
        s.on("data", (data) => send({ data }));
        s.on("end", () => send({ shutdown: {} }));
        s.on("error", (error) => {
          clearTimeout(timer);
          call.write({ error: ioError(error) });
        });
        s.on("close", () => call.end());
      } else if (!socket) {
        failStream(call, grpc.status.INVALID_ARGUMENT, "connect must come first.");
      } else if (message.message === "data" && message.data) {
        if (!socket.write(message.data)) {
          call.pause();
          socket.once("drain", () => call.resume());
        }
      } else if (message.message === "shutdown") {
        socket.end();
      }
    });
    call.on("end", () => {
      // The client is done with this connection altogether.
      socket?.destroy();
      if (!socket) call.end();
    });
  };
}

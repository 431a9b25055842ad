/** Outgoing UDP: one UdpSocket call is one socket in the agent's namespace. */
import * as grpc from "@grpc/grpc-js";
import { type Socket, createSocket } from "node:dgram";
import type { AgentHandlers } from "@mirrord-ts/protocol";
import { bindStreamToSession, failStream, ioError } from "../calls.js";
import type { SessionRegistry } from "../lifecycle/sessions.js";

export function udpSocketHandler(registry: SessionRegistry): AgentHandlers["UdpSocket"] {
  return (call) => {
    let socket: Socket | undefined;
    const session = bindStreamToSession(registry, call, () => {
      try {
        socket?.close();
      } catch {
        // already closed
      }
    });
    if (!session) return;

    call.on("data", (message) => {
      if (message.message === "bind") {
        if (socket) return failStream(call, grpc.status.INVALID_ARGUMENT, "bind comes once.");
        const v6 = message.bind?.family === "ADDRESS_FAMILY_IPV6";
        const s = createSocket(v6 ? "udp6" : "udp4");
        socket = s;
        s.on("message", (payload, rinfo) => call.write({ datagram: { peer: { ip: rinfo.address, port: rinfo.port }, payload } }));
        s.on("error", (error) => {
          call.write({ error: ioError(error) });
          call.end();
        });
        s.bind(message.bind?.localPort ?? 0, () => {
          const local = s.address();
          call.write({ bound: { local: { ip: local.address, port: local.port } } });
        });
      } else if (message.message === "datagram") {
        const peer = message.datagram?.peer;
        if (!socket || !peer) return failStream(call, grpc.status.INVALID_ARGUMENT, "bind first; a datagram needs a peer.");
        socket.send(message.datagram?.payload ?? Buffer.alloc(0), peer.port, peer.ip, (error) => {
          if (error) call.write({ error: ioError(error) });
        });
      }
    });
    call.on("end", () => call.end());
  };
}

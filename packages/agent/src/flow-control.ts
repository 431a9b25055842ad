/**
 * Wider HTTP/2 flow-control windows for the agent's gRPC server. The session reaches the agent
 * through the API server's port-forward, whose round trip is milliseconds, and HTTP/2's
 * default 64 KiB windows then cap every stream at 64 KiB per round trip. grpc-js has a client
 * option for this (`grpc-node.flow_control_window`) but none for the server, so each new
 * HTTP/2 session of the server's listeners gets the window here.
 */
import type * as grpc from "@grpc/grpc-js";
import type { Http2Server, ServerHttp2Session } from "node:http2";
import type { Socket } from "node:net";
import type { Log } from "./log.js";

/** Per stream and per connection; the agent's memory limit (256 MiB) leaves room for it. */
export const FLOW_CONTROL_WINDOW = 8 * 1024 * 1024;

export function widenFlowControlWindows(server: grpc.Server, log: Log, window = FLOW_CONTROL_WINDOW): void {
  // grpc-js keeps its node http2 servers in a private map; it is version-pinned by the lockfile.
  const listeners = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  if (!(listeners instanceof Map) || listeners.size === 0) {
    log.info("could not reach the gRPC server's HTTP/2 listeners; its flow-control windows stay at 64 KiB");
    return;
  }
  for (const listener of listeners.keys()) {
    // Nagle would hold the small frames (WINDOW_UPDATE, acks) back against the peer's delayed ACKs.
    listener.on("connection", (socket: Socket) => socket.setNoDelay(true));
    listener.on("session", (session: ServerHttp2Session) => {
      session.settings({ initialWindowSize: window });
      session.setLocalWindowSize(window);
    });
  }
}

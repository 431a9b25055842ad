/**
 * One mirror subscription: every connection to the port passes through the agent to the
 * app (which keeps serving, nothing dropped) and the client gets a copy: of every byte the
 * peer sent, or, with an HTTP filter, of each matching request (the agent then forwards the
 * requests itself, like a filtered steal's unmatched ones). Lossless by construction,
 * unlike packet sniffing.
 */
import type { Socket } from "node:net";
import type { HttpFilter__Output, HttpRequest, MirrorAgentMessage } from "@mirrord-ts/protocol";
import type { MirrorRoute } from "./http1.js";
import { connectToOriginal, plainAddress } from "./port-redirect.js";
import { RedirectedPort } from "./redirected-port.js";

/**
 * Copies queued for a client that reads slower than the app is served are capped: the app
 * must never wait for the client, and the agent must not grow without bound. Past the cap a
 * copy is dropped (and counted) rather than the app's traffic slowed.
 */
const MAX_QUEUED_COPIES = 1024;

/** While it closes (RedirectedPort.close), the app keeps serving and the client gets no more copies. */
export class MirrorSubscription extends RedirectedPort implements MirrorRoute {
  readonly mode = "mirror";
  /** Bytes not copied to the client because it fell too far behind. */
  droppedBytes = 0;
  private nextRequestId = 1;

  constructor(
    port: number,
    filter: HttpFilter__Output | null | undefined,
    private readonly send: (message: MirrorAgentMessage) => void,
    /** Messages queued in the call and not yet sent. */
    private readonly queued: () => number = () => 0,
  ) {
    super(port, filter);
  }

  /** MirrorRoute: a matching request, answered by the app, copied to the client. */
  copy(request: Omit<HttpRequest, "requestId">): void {
    if (this.closed) return; // the client has gone
    if (this.queued() >= MAX_QUEUED_COPIES) {
      this.droppedBytes += request.body?.length ?? 0;
      return;
    }
    this.send({ httpRequest: { ...request, requestId: this.nextRequestId++ } });
  }

  /** Without a filter: the connection passes to the app and the client gets a copy of every byte the peer sent. */
  protected override takeWhole(socket: Socket, connectionId: number): void {
    this.inFlight.holdUntilClosed(socket);
    const upstream = connectToOriginal(socket, this.port);
    this.send({
      connection: {
        connectionId,
        remote: { ip: plainAddress(socket.remoteAddress), port: socket.remotePort ?? 0 },
        local: { ip: plainAddress(socket.localAddress), port: this.port },
      },
    });
    socket.on("data", (data: Buffer) => {
      if (this.closed) return;
      if (this.queued() < MAX_QUEUED_COPIES) this.send({ data: { connectionId, data } });
      else this.droppedBytes += data.length;
    });
    socket.pipe(upstream);
    upstream.pipe(socket);
    const destroyBoth = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on("error", destroyBoth);
    // A clean close already ended the other side through pipe(); destroying it here
    // would drop bytes still queued for the peer.
    upstream.on("close", (hadError) => hadError && socket.destroy());
    socket.on("close", () => {
      upstream.destroy();
      if (!this.closed) this.send({ closed: { connectionId } });
    });
  }
}

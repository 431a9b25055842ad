/**
 * One mirror subscription: every connection to the port passes through the agent to the
 * app (which keeps serving, nothing dropped) and the client gets a copy of what the peer
 * sent. Lossless by construction, unlike packet sniffing.
 */
import type { Socket } from "node:net";
import type { MirrorAgentMessage } from "@mirrord-ts/protocol";
import type { AgentRedirects } from "../lifecycle/iptables.js";
import { PortRedirect, connectToOriginal, plainAddress } from "./port-redirect.js";

/**
 * Copies queued for a client that reads slower than the app is served are capped: the app
 * must never wait for the client, and the agent must not grow without bound. Past the cap a
 * copy is dropped (and counted) rather than the app's traffic slowed.
 */
const MAX_QUEUED_COPIES = 1024;

export class MirrorSubscription {
  /** Bytes not copied to the client because it fell too far behind. */
  droppedBytes = 0;
  private redirect: PortRedirect | undefined;
  private nextConnectionId = 1;
  private closed = false;

  constructor(
    readonly port: number,
    private readonly send: (message: MirrorAgentMessage) => void,
    /** Messages queued in the call and not yet sent. */
    private readonly queued: () => number = () => 0,
  ) {}

  async start(redirects: AgentRedirects): Promise<void> {
    this.redirect = await PortRedirect.open(redirects, this.port, (socket) => this.onConnection(socket));
    if (this.closed) this.redirect.close(); // the call ended while the rules went in
  }

  close(): void {
    this.closed = true;
    this.redirect?.close();
  }

  private onConnection(socket: Socket): void {
    const connectionId = this.nextConnectionId++;
    const upstream = connectToOriginal(socket, this.port);
    this.send({
      connection: {
        connectionId,
        remote: { ip: plainAddress(socket.remoteAddress), port: socket.remotePort ?? 0 },
        local: { ip: plainAddress(socket.localAddress), port: this.port },
      },
    });
    socket.on("data", (data: Buffer) => {
      if (this.queued() < MAX_QUEUED_COPIES) this.send({ data: { connectionId, data } });
      else this.droppedBytes += data.length;
    });
    socket.pipe(upstream);
    upstream.pipe(socket);
    const destroyBoth = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on("error", destroyBoth);
    upstream.on("error", destroyBoth);
    // A clean close already ended the other side through pipe(); destroying it here
    // would drop bytes still queued for the peer.
    upstream.on("close", (hadError) => hadError && socket.destroy());
    socket.on("close", () => {
      upstream.destroy();
      this.send({ closed: { connectionId } });
    });
  }
}

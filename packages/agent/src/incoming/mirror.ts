/**
 * One mirror subscription: every connection to the port passes through the agent to the
 * app (which keeps serving, nothing dropped) and the client gets a copy: of every byte the
 * peer sent, or, with an HTTP filter, of each matching request (the agent then forwards the
 * requests itself, like a filtered steal's unmatched ones). Lossless by construction,
 * unlike packet sniffing.
 */
import type { Socket } from "node:net";
import type { HttpFilter__Output, HttpRequest, MirrorAgentMessage } from "@mirrord-ts/protocol";
import type { AgentRedirects } from "../lifecycle/iptables.js";
import { RequestFilter, hasCriteria } from "./http-filter.js";
import { Http1Interceptor, type MirrorRoute } from "./http1.js";
import { Http2Interceptor } from "./http2.js";
import { CLOSE_DRAIN_MS, InFlight } from "./in-flight.js";
import { PortRedirect, connectToOriginal, passThrough, plainAddress } from "./port-redirect.js";
import { PrefixedStream } from "./prefixed-stream.js";
import { sniff } from "./sniff.js";

/**
 * Copies queued for a client that reads slower than the app is served are capped: the app
 * must never wait for the client, and the agent must not grow without bound. Past the cap a
 * copy is dropped (and counted) rather than the app's traffic slowed.
 */
const MAX_QUEUED_COPIES = 1024;
const SNIFF_WAIT_MS = 1000;

export class MirrorSubscription implements MirrorRoute {
  readonly mode = "mirror";
  /** Bytes not copied to the client because it fell too far behind. */
  droppedBytes = 0;
  private redirect: PortRedirect | undefined;
  private nextConnectionId = 1;
  private nextRequestId = 1;
  /** Set by close(): resolves when the rules are gone. */
  private closing: Promise<void> | undefined;
  /** Requests and connections on their way to the app: a closing subscription lets them finish. */
  private readonly inFlight = new InFlight();
  private readonly http1: Http1Interceptor | undefined;
  private readonly http2: Http2Interceptor | undefined;
  private readonly connectionIds = new WeakMap<object, number>();

  constructor(
    readonly port: number,
    filter: HttpFilter__Output | null | undefined,
    private readonly send: (message: MirrorAgentMessage) => void,
    /** Messages queued in the call and not yet sent. */
    private readonly queued: () => number = () => 0,
  ) {
    if (hasCriteria(filter)) {
      const compiled = RequestFilter.compile(filter);
      const idOf = (stream: PrefixedStream): number => this.connectionIds.get(stream) ?? 0;
      this.http1 = new Http1Interceptor(port, compiled, this, idOf, this.inFlight);
      this.http2 = new Http2Interceptor(port, compiled, this, idOf, this.inFlight);
    }
  }

  async start(redirects: AgentRedirects): Promise<void> {
    this.redirect = await PortRedirect.open(redirects, this.port, (socket) => this.onConnection(socket));
    if (this.closed) this.redirect.close(); // the call ended while the rules went in
  }

  /**
   * The app keeps serving through the end: new connections go straight to it (where the
   * rules can tell them apart), the ones on their way through the agent finish
   * (CLOSE_DRAIN_MS at most) without copies, then the connections end and the rules go.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.redirect?.stopNew();
      await this.inFlight.settled(CLOSE_DRAIN_MS);
      this.redirect?.close();
      this.http1?.close();
      this.http2?.close();
    })();
    return this.closing;
  }

  private get closed(): boolean {
    return this.closing !== undefined;
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

  private onConnection(socket: Socket): void {
    const connectionId = this.nextConnectionId++;
    socket.on("error", () => socket.destroy());
    // Closing: the app serves it, uncopied, and the close waits for it.
    if (this.closed) return this.passToApp(socket);
    if (!this.http1 || !this.http2) return this.copyBytes(socket, connectionId);
    const [http1, http2] = [this.http1, this.http2];
    const sniffing = this.inFlight.hold();
    void sniff(socket, SNIFF_WAIT_MS).then(({ protocol, head }) => {
      sniffing();
      if (socket.destroyed) return;
      if (protocol === "other" || this.closed) return this.passToApp(socket, head);
      const stream = new PrefixedStream(socket, head);
      this.connectionIds.set(stream, connectionId);
      (protocol === "http1" ? http1 : http2).accept(stream);
    });
  }

  /** A connection the app serves whole, through the agent, uncopied. */
  private passToApp(socket: Socket, head?: Buffer): void {
    this.inFlight.holdUntilClosed(socket);
    passThrough(socket, this.port, head);
  }

  private copyBytes(socket: Socket, connectionId: number): void {
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

/**
 * One steal subscription: a port redirected to the agent. Without a filter every
 * connection goes to the client whole; with one, HTTP requests that match go to the
 * client and everything else (other requests, non-HTTP connections) on to the app.
 */
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Duplex } from "node:stream";
import type { HttpBody__Output, HttpFilter__Output, HttpRequest, StealAgentMessage, StealClientMessage__Output } from "@mirrord-ts/protocol";
import type { AgentRedirects } from "../lifecycle/iptables.js";
import { RequestFilter, hasCriteria } from "./http-filter.js";
import { AsyncQueue } from "./async-queue.js";
import { type ClientAnswer, Http1Interceptor, type StealRoute } from "./http1.js";
import { Http2Interceptor } from "./http2.js";
import { CLOSE_DRAIN_MS, InFlight } from "./in-flight.js";
import { PortRedirect, passThrough, plainAddress } from "./port-redirect.js";
import { PrefixedStream } from "./prefixed-stream.js";
import { sniff } from "./sniff.js";

/** How long a closing subscription gives its last answers (502s) to be written before its connections end. */
export const CLOSE_FLUSH_MS = 50;


/** How long a connection may stay silent before it is taken for a server-speaks-first protocol. */
const SNIFF_WAIT_MS = 1000;

interface PendingRequest {
  resolve: (answer: ClientAnswer) => void;
  reject: (error: Error) => void;
}

export class StealSubscription implements StealRoute {
  readonly mode = "steal";
  private redirect: PortRedirect | undefined;
  private readonly filter: RequestFilter | undefined;
  private readonly http1: Http1Interceptor | undefined;
  private readonly http2: Http2Interceptor | undefined;
  private readonly connections = new Map<number, Duplex>();
  private readonly connectionIds = new WeakMap<object, number>();
  private readonly pending = new Map<number, PendingRequest>();
  /** Response bodies the client is streaming, by request id. */
  private readonly responseBodies = new Map<number, AsyncQueue<HttpBody__Output>>();
  private nextConnectionId = 1;
  private nextRequestId = 1;
  /** Set by close(): resolves when the rules are gone. */
  private closing: Promise<void> | undefined;
  /** Requests and connections on their way to the app (or to a 502): a closing subscription lets them finish. */
  private readonly inFlight = new InFlight();

  constructor(
    readonly port: number,
    filter: HttpFilter__Output | null | undefined,
    readonly streamBodies: boolean,
    /** Returns false when the call's buffer is full (then whenDrained tells when it is not). */
    private readonly send: (message: StealAgentMessage) => boolean,
    private readonly whenDrained: (resume: () => void) => void = (resume) => resume(),
  ) {
    if (hasCriteria(filter)) {
      this.filter = RequestFilter.compile(filter);
      const idOf = (stream: PrefixedStream): number => this.connectionIds.get(stream) ?? 0;
      this.http1 = new Http1Interceptor(port, this.filter, this, idOf, this.inFlight);
      this.http2 = new Http2Interceptor(port, this.filter, this, idOf, this.inFlight);
    }
  }

  async start(redirects: AgentRedirects): Promise<void> {
    this.redirect = await PortRedirect.open(redirects, this.port, (socket) => this.onConnection(socket));
    if (this.closed) this.redirect.close(); // the call ended while the rules went in
  }

  /** StealRoute: a matching request goes to the client. */
  forward(request: Omit<HttpRequest, "requestId">, body?: NodeJS.ReadableStream): Promise<ClientAnswer> {
    if (this.closed) return Promise.reject(new Error("subscription closed"));
    const requestId = this.nextRequestId++;
    const answer = new Promise<ClientAnswer>((resolve, reject) => this.pending.set(requestId, { resolve, reject }));
    this.send({ httpRequest: { ...request, requestId, bodyStreamed: body !== undefined } });
    if (body) {
      body.on("data", (data: Buffer) => {
        if (!this.send({ httpBody: { requestId, data, end: false } })) {
          body.pause();
          this.whenDrained(() => body.resume());
        }
      });
      body.on("end", () => this.send({ httpBody: { requestId, end: true } }));
    }
    return answer;
  }

  /** StealRoute: an upgraded connection that matched goes to the client whole. */
  takeConnection(stream: PrefixedStream, head: Buffer): void {
    const connectionId = this.connectionIds.get(stream) ?? this.nextConnectionId++;
    this.stealWhole(stream, stream.socket, connectionId, head);
  }

  onClientMessage(message: StealClientMessage__Output): void {
    if (message.message === "httpResponse" && message.httpResponse) {
      const head = message.httpResponse;
      const pending = this.pending.get(head.requestId);
      this.pending.delete(head.requestId);
      if (!head.bodyStreamed) return pending?.resolve({ head });
      const rest = new AsyncQueue<HttpBody__Output>();
      this.responseBodies.set(head.requestId, rest);
      pending?.resolve({ head, rest });
    } else if (message.message === "httpBody" && message.httpBody) {
      const piece = message.httpBody;
      const rest = this.responseBodies.get(piece.requestId);
      rest?.push(piece);
      if (piece.end) {
        rest?.end();
        this.responseBodies.delete(piece.requestId);
      }
    } else if (message.message === "data" && message.data) {
      this.connections.get(message.data.connectionId)?.write(message.data.data);
    } else if (message.message === "close" && message.close) {
      this.connections.get(message.close.connectionId)?.end();
    }
  }

  /**
   * New connections go straight to the app; requests the client still holds (a debuggee
   * stopped at a breakpoint, or gone) are answered 502 and stolen connections end; once
   * those answers are written and the requests on their way to the app have their answers
   * (CLOSE_DRAIN_MS at most), the rest of the port's connections end and the rules go
   * (PortRedirect.close keeps that order). Resolves when the rules are gone.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.redirect?.stopNew();
      for (const { reject } of this.pending.values()) reject(new Error("subscription closed"));
      this.pending.clear();
      for (const rest of this.responseBodies.values()) rest.fail(new Error("subscription closed"));
      this.responseBodies.clear();
      for (const socket of this.connections.values()) socket.destroy();
      this.connections.clear();
      await sleep(CLOSE_FLUSH_MS);
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

  private onConnection(socket: Socket): void {
    const connectionId = this.nextConnectionId++;
    socket.on("error", () => socket.destroy());
    // Closing (its rules go in a moment): the app takes it, and the close waits for it.
    if (this.closed) return this.passToApp(socket);
    if (!this.filter) {
      this.stealWhole(socket, socket, connectionId);
      return;
    }
    const sniffing = this.inFlight.hold();
    void sniff(socket, SNIFF_WAIT_MS).then(({ protocol, head }) => {
      sniffing();
      if (socket.destroyed) return;
      // Also while closing: a request is served (by the app, or a 502 if it matches) while
      // the subscription drains.
      if (protocol === "other") return this.passToApp(socket, head);
      const stream = new PrefixedStream(socket, head);
      this.connectionIds.set(stream, connectionId);
      (protocol === "http1" ? this.http1 : this.http2)!.accept(stream);
    });
  }

  /** A connection the app serves whole, through the agent: a closing subscription waits for it to end. */
  private passToApp(socket: Socket, head?: Buffer): void {
    this.inFlight.holdUntilClosed(socket);
    passThrough(socket, this.port, head);
  }

  /** `stream` carries the bytes (the socket itself, or its rest after an upgrade). */
  private stealWhole(stream: Duplex, socket: Socket, connectionId: number, head: Buffer = Buffer.alloc(0)): void {
    this.connections.set(connectionId, stream);
    this.send({
      connection: {
        connectionId,
        remote: { ip: plainAddress(socket.remoteAddress), port: socket.remotePort ?? 0 },
        local: { ip: plainAddress(socket.localAddress), port: this.port },
      },
    });
    if (head.length > 0) this.send({ data: { connectionId, data: head } });
    stream.on("data", (data: Buffer) => {
      // The client reads slower than the peer sends: stop reading until the call drains.
      if (!this.send({ data: { connectionId, data } })) {
        stream.pause();
        this.whenDrained(() => stream.resume());
      }
    });
    stream.on("end", () => stream.end());
    stream.on("error", () => stream.destroy());
    stream.on("close", () => {
      if (this.connections.delete(connectionId)) this.send({ closed: { connectionId } });
    });
  }
}

/**
 * What a steal and a mirror subscription share: a port redirected to the agent, its
 * connections told apart (HTTP to the filter's interceptors, the rest whole), the work on
 * its way through the agent to the app, and the end that lets that work finish before the
 * connections end and the rules go.
 */
import type { Socket } from "node:net";
import type { HttpFilter__Output } from "@mirrord-ts/protocol";
import type { AgentRedirects } from "../lifecycle/iptables.js";
import { RequestFilter, hasCriteria } from "./http-filter.js";
import { Http1Interceptor, type RequestRoute } from "./http1.js";
import { Http2Interceptor } from "./http2.js";
import { CLOSE_DRAIN_MS, InFlight } from "./in-flight.js";
import { PortRedirect, passThrough } from "./port-redirect.js";
import { PrefixedStream } from "./prefixed-stream.js";
import { sniff } from "./sniff.js";

/** How long a connection may stay silent before it is taken for a server-speaks-first protocol. */
const SNIFF_WAIT_MS = 1000;

export abstract class RedirectedPort {
  /** Requests and connections on their way to the app: a closing subscription lets them finish. */
  protected readonly inFlight = new InFlight();
  /** With a filter: its HTTP/1 and HTTP/2 connections' requests are told apart by it. */
  protected readonly http1: Http1Interceptor | undefined;
  protected readonly http2: Http2Interceptor | undefined;
  private readonly connectionIds = new WeakMap<object, number>();
  private nextConnectionId = 1;
  private redirect: PortRedirect | undefined;
  /** Set by close(): resolves when the rules are gone. */
  private closing: Promise<void> | undefined;

  constructor(
    readonly port: number,
    filter: HttpFilter__Output | null | undefined,
  ) {
    if (hasCriteria(filter)) {
      const compiled = RequestFilter.compile(filter);
      const idOf = (stream: PrefixedStream): number => this.connectionIds.get(stream) ?? 0;
      // The subclass is the route; the interceptors use it only once connections arrive.
      const route = this as unknown as RequestRoute;
      this.http1 = new Http1Interceptor(port, compiled, route, idOf, this.inFlight);
      this.http2 = new Http2Interceptor(port, compiled, route, idOf, this.inFlight);
    }
  }

  async start(redirects: AgentRedirects): Promise<void> {
    this.redirect = await PortRedirect.open(redirects, this.port, (socket) => this.onConnection(socket));
    if (this.closed) this.redirect.close(); // the call ended while the rules went in
  }

  /**
   * New connections go straight to the app (where the rules can tell them apart); after
   * `beforeDrain`, the work on its way to the app finishes (CLOSE_DRAIN_MS at most), then the
   * port's connections end and the rules go (PortRedirect.close keeps that order). Resolves
   * when the rules are gone.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.redirect?.stopNew();
      await this.beforeDrain();
      await this.inFlight.settled(CLOSE_DRAIN_MS);
      this.redirect?.close();
      this.http1?.close();
      this.http2?.close();
    })();
    return this.closing;
  }

  /** What a closing subscription does once new connections go to the app, before it waits for the rest. */
  protected async beforeDrain(): Promise<void> {}

  /** A connection without a filter: the subscription takes it whole. */
  protected abstract takeWhole(socket: Socket, connectionId: number): void;

  protected get closed(): boolean {
    return this.closing !== undefined;
  }

  /** The id of a connection the interceptors serve, or a new one. */
  protected connectionIdOf(stream: object): number {
    return this.connectionIds.get(stream) ?? this.nextConnectionId++;
  }

  private onConnection(socket: Socket): void {
    const connectionId = this.nextConnectionId++;
    socket.on("error", () => socket.destroy());
    // Closing (its rules go in a moment): the app takes it, and the close waits for it.
    if (this.closed) return this.passToApp(socket);
    if (!this.http1 || !this.http2) return this.takeWhole(socket, connectionId);
    const [http1, http2] = [this.http1, this.http2];
    const sniffing = this.inFlight.hold();
    void sniff(socket, SNIFF_WAIT_MS).then(({ protocol, head }) => {
      sniffing();
      if (socket.destroyed) return;
      // Also while closing: its request is served (by the app; a steal answers a match 502,
      // a mirror copies nothing) while the subscription drains.
      if (protocol === "other") return this.passToApp(socket, head);
      const stream = new PrefixedStream(socket, head);
      this.connectionIds.set(stream, connectionId);
      (protocol === "http1" ? http1 : http2).accept(stream);
    });
  }

  /** A connection the app serves whole, through the agent: a closing subscription waits for it to end. */
  private passToApp(socket: Socket, head?: Buffer): void {
    this.inFlight.holdUntilClosed(socket);
    passThrough(socket, this.port, head);
  }
}

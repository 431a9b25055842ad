/**
 * One steal subscription: a port redirected to the agent. Without a filter every
 * connection goes to the client whole; with one, HTTP requests that match go to the
 * client and everything else (other requests, non-HTTP connections) on to the app.
 */
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Duplex } from "node:stream";
import type { HttpBody__Output, HttpFilter__Output, HttpRequest, StealAgentMessage, StealClientMessage__Output } from "@mirrord-ts/protocol";
import { AsyncQueue } from "./async-queue.js";
import type { ClientAnswer, StealRoute } from "./http1.js";
import { plainAddress } from "./port-redirect.js";
import type { PrefixedStream } from "./prefixed-stream.js";
import { RedirectedPort } from "./redirected-port.js";

/** How long a closing subscription gives its last answers (502s) to be written before its connections end. */
export const CLOSE_FLUSH_MS = 50;

interface PendingRequest {
  resolve: (answer: ClientAnswer) => void;
  reject: (error: Error) => void;
}

export class StealSubscription extends RedirectedPort implements StealRoute {
  readonly mode = "steal";
  private readonly connections = new Map<number, Duplex>();
  private readonly pending = new Map<number, PendingRequest>();
  /** Response bodies the client is streaming, by request id. */
  private readonly responseBodies = new Map<number, AsyncQueue<HttpBody__Output>>();
  private nextRequestId = 1;

  constructor(
    port: number,
    filter: HttpFilter__Output | null | undefined,
    readonly streamBodies: boolean,
    /** Returns false when the call's buffer is full (then whenDrained tells when it is not). */
    private readonly send: (message: StealAgentMessage) => boolean,
    private readonly whenDrained: (resume: () => void) => void = (resume) => resume(),
  ) {
    super(port, filter);
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
    this.stealWhole(stream, stream.socket, this.connectionIdOf(stream), head);
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
   * Requests the client still holds (a debuggee stopped at a breakpoint, or gone) are
   * answered 502 and stolen connections end; the answers get CLOSE_FLUSH_MS to be written
   * before the wait for the requests on their way to the app.
   */
  protected override async beforeDrain(): Promise<void> {
    for (const { reject } of this.pending.values()) reject(new Error("subscription closed"));
    this.pending.clear();
    for (const rest of this.responseBodies.values()) rest.fail(new Error("subscription closed"));
    this.responseBodies.clear();
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
    await sleep(CLOSE_FLUSH_MS);
  }

  protected override takeWhole(socket: Socket, connectionId: number): void {
    this.stealWhole(socket, socket, connectionId);
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

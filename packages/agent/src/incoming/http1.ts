/** HTTP/1.x on a stolen-with-filter connection: matching requests to the client, others to the app. */
import { Agent, type IncomingMessage, type ServerResponse, createServer, request } from "node:http";
import type { HttpBody__Output, HttpHeader, HttpRequest, HttpResponse__Output } from "@mirrord-ts/protocol";
import type { PrefixedStream } from "./prefixed-stream.js";
import { connectToOriginal, originalDestination, passThroughStream, plainAddress } from "./port-redirect.js";
import type { RequestFilter } from "./http-filter.js";
import type { InFlight } from "./in-flight.js";

/** Where matching requests go: to the client for an answer (steal) or as a copy (mirror). */
export type RequestRoute = StealRoute | MirrorRoute;

/** The client's answer: its head, and the rest of the body when it streams it. */
export interface ClientAnswer {
  head: HttpResponse__Output;
  rest?: AsyncIterable<HttpBody__Output>;
}

export interface StealRoute {
  readonly mode: "steal";
  /** The client takes requests at their headers, bodies following (stream_bodies). */
  readonly streamBodies: boolean;
  /**
   * Sends the request to the client; resolves with its answer. With `body` (streamBodies)
   * the request goes out at once and the body follows as it arrives.
   */
  forward(request: Omit<HttpRequest, "requestId">, body?: NodeJS.ReadableStream): Promise<ClientAnswer>;
  /** Hands the rest of a connection to the client whole, `head` (bytes already read) first. */
  takeConnection(stream: PrefixedStream, head: Buffer): void;
}

export interface MirrorRoute {
  readonly mode: "mirror";
  /** A copy of a request that the app answers. */
  copy(request: Omit<HttpRequest, "requestId">): void;
}

/** Writes, and waits for the peer to take it when the buffer is full. */
export async function writeWithBackpressure(out: NodeJS.WritableStream, data: Buffer): Promise<void> {
  if (!out.write(data)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
}

/** Collects a body while something else (a pipe to the app) also reads it. */
export function observeBody(stream: NodeJS.ReadableStream, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("end", () => done(Buffer.concat(chunks)));
}

export async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function pairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return out;
}

/** The request line and headers as they came (node has parsed them off the wire). */
function requestHead(req: IncomingMessage): Buffer {
  let text = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
  return Buffer.from(`${text}\r\n`, "latin1");
}

/** Serves the HTTP/1 connections of one filtered steal or mirror. */
export class Http1Interceptor {
  // As lenient as the apps behind it: no 400 for a missing Host, no cut-off of long
  // uploads, larger headers, idle keep-alive kept like common servers and load balancers.
  private readonly server = createServer(
    { keepAlive: true, requireHostHeader: false, requestTimeout: 0, maxHeaderSize: 64 * 1024 },
    (req, res) => this.onRequest(req, res),
  );
  private readonly upstreamAgent = new Agent({ keepAlive: true });
  /** Per connection, until its first request starts: the hold that keeps a closing subscription waiting for it. */
  private readonly awaitingFirstRequest = new WeakMap<object, () => void>();

  constructor(
    private readonly port: number,
    private readonly filter: RequestFilter,
    private readonly route: RequestRoute,
    private readonly connectionIdOf: (stream: PrefixedStream) => number,
    /** Held from a connection's arrival to its first request, and by each request until its response ends. */
    private readonly inFlight: InFlight,
  ) {
    this.server.keepAliveTimeout = 65_000;
    this.server.on("clientError", (_error, socket) => socket.destroy());
    // An upgrade (WebSocket, h2c) leaves HTTP: a matching one goes to the client as a whole
    // connection, any other on to the app, both starting with the request itself.
    this.server.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => {
      const stream = socket as unknown as PrefixedStream;
      this.awaitingFirstRequest.get(stream)?.();
      const raw = Buffer.concat([requestHead(req), head]);
      const matches = this.filter.matches({ headers: pairs(req.rawHeaders), path: req.url ?? "/", method: req.method ?? "GET" });
      if (matches && this.route.mode === "steal") this.route.takeConnection(stream, raw);
      else passThroughStream(stream, connectToOriginal(stream.socket, this.port), raw);
    });
  }

  accept(stream: PrefixedStream): void {
    // Its first request is already on its way (the sniff saw its bytes): a closing
    // subscription waits for it, not only for the requests node has parsed.
    this.awaitingFirstRequest.set(stream, this.inFlight.holdUntilClosed(stream));
    this.server.emit("connection", stream);
  }

  close(): void {
    this.server.close();
    this.upstreamAgent.destroy();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const stream = req.socket as unknown as PrefixedStream;
    res.once("close", this.inFlight.hold());
    this.awaitingFirstRequest.get(stream)?.();
    const headers = pairs(req.rawHeaders);
    const path = req.url ?? "/";
    const matches = this.filter.matches({ headers, path, method: req.method ?? "GET" });
    const route = this.route;
    if (route.mode === "mirror") {
      if (matches) observeBody(req, (body) => route.copy(this.describe(req, stream, headers, path, body)));
      this.forwardToApp(req, res, stream);
    } else if (matches) {
      void this.answerFromClient(route, req, res, stream, headers, path);
    } else {
      this.forwardToApp(req, res, stream);
    }
  }

  private describe(req: IncomingMessage, stream: PrefixedStream, headers: Array<[string, string]>, path: string, body: Buffer): Omit<HttpRequest, "requestId"> {
    return {
      connectionId: this.connectionIdOf(stream),
      version: `HTTP/${req.httpVersion}`,
      method: req.method ?? "GET",
      path,
      headers: headers.map(([name, value]): HttpHeader => ({ name, value })),
      body,
      remote: { ip: plainAddress(stream.remoteAddress), port: stream.remotePort ?? 0 },
    };
  }

  private async answerFromClient(
    route: StealRoute,
    req: IncomingMessage,
    res: ServerResponse,
    stream: PrefixedStream,
    headers: Array<[string, string]>,
    path: string,
  ): Promise<void> {
    try {
      const body = route.streamBodies ? Buffer.alloc(0) : await readBody(req);
      const answer = await route.forward(this.describe(req, stream, headers, path, body), route.streamBodies ? req : undefined);
      const raw = answer.head.headers.flatMap((h) => [h.name, h.value]);
      res.writeHead(answer.head.status, raw);
      if (!answer.rest) {
        res.end(answer.head.body);
        return;
      }
      if (answer.head.body.length > 0) await writeWithBackpressure(res, answer.head.body);
      for await (const piece of answer.rest) if (piece.data.length > 0) await writeWithBackpressure(res, piece.data);
      res.end();
    } catch {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end("mirrord: the stolen request got no response from the client\n");
      } else {
        res.destroy();
      }
    }
  }

  private forwardToApp(req: IncomingMessage, res: ServerResponse, stream: PrefixedStream): void {
    const { host, port } = originalDestination(stream.socket, this.port);
    const upstream = request(
      { host, port, method: req.method, path: req.url, headers: req.rawHeaders, setHost: false, agent: this.upstreamAgent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) {
        res.writeHead(502);
        res.end();
      } else res.destroy();
    });
    req.pipe(upstream);
  }
}

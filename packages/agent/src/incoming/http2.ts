/** HTTP/2 (h2c, gRPC) on a stolen-with-filter connection: matching streams to the client, others to the app. */
import {
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
  connect,
  constants,
  createServer,
} from "node:http2";
import type { HttpHeader__Output, HttpRequest } from "@mirrord-ts/protocol";
import type { RequestFilter } from "./http-filter.js";
import type { InFlight } from "./in-flight.js";
import { type ClientAnswer, type RequestRoute, type StealRoute, observeBody, readBody, writeWithBackpressure } from "./http1.js";
import { originalDestination, plainAddress } from "./port-redirect.js";
import type { PrefixedStream } from "./prefixed-stream.js";

function headerPairs(headers: IncomingHttpHeaders): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [String(value)]) out.push([name, v]);
  }
  return out;
}

function toOutgoing(list: readonly HttpHeader__Output[]): OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (const { name, value } of list) {
    const key = name.toLowerCase();
    const prior = out[key];
    out[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return out;
}

/** Serves the HTTP/2 (h2c) connections of one filtered steal or mirror. */
export class Http2Interceptor {
  private readonly server = createServer();

  constructor(
    private readonly port: number,
    private readonly filter: RequestFilter,
    private readonly route: RequestRoute,
    private readonly connectionIdOf: (stream: PrefixedStream) => number,
    /** Held from a connection's arrival to its first stream, and by each stream until it closes. */
    private readonly inFlight: InFlight,
  ) {
    this.server.on("sessionError", () => {});
    // Streams are handled per session in accept(); the compat request/response layer
    // that the server adds by default must not see them.
    this.server.removeAllListeners("stream");
  }

  accept(stream: PrefixedStream): void {
    // One upstream session per incoming connection, closed with it.
    let upstream: ClientHttp2Session | undefined;
    const upstreamSession = (): ClientHttp2Session => {
      if (!upstream || upstream.closed || upstream.destroyed) {
        const { host, port } = originalDestination(stream.socket, this.port);
        upstream = connect(`http://${host.includes(":") ? `[${host}]` : host}:${port}`);
        upstream.on("error", () => {});
      }
      return upstream;
    };
    stream.on("close", () => upstream?.close());
    const firstStream = this.inFlight.holdUntilClosed(stream);
    const onStream = (h2stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
      h2stream.once("close", this.inFlight.hold());
      firstStream();
      const path = String(headers[":path"] ?? "/");
      const regular = headerPairs(headers).filter(([name]) => !name.startsWith(":"));
      const matches = this.filter.matches({ headers: regular, path, method: String(headers[":method"] ?? "GET") });
      const route = this.route;
      if (route.mode === "mirror") {
        if (matches) observeBody(h2stream, (body) => route.copy(this.describe(headers, stream, body)));
        forwardStream(h2stream, headers, upstreamSession());
      } else if (matches) {
        void this.answerFromClient(route, h2stream, headers, stream);
      } else {
        forwardStream(h2stream, headers, upstreamSession());
      }
    };
    // The server emits "session" synchronously from its connection listener.
    this.server.once("session", (session) => {
      session.on("stream", onStream);
      session.on("error", () => {});
    });
    this.server.emit("connection", stream);
  }

  close(): void {
    this.server.close();
  }

  private describe(headers: IncomingHttpHeaders, stream: PrefixedStream, body: Buffer): Omit<HttpRequest, "requestId"> {
    return {
      connectionId: this.connectionIdOf(stream),
      version: "HTTP/2",
      method: String(headers[":method"] ?? "GET"),
      path: String(headers[":path"] ?? "/"),
      headers: headerPairs(headers).map(([name, value]) => ({ name, value })),
      body,
      remote: { ip: plainAddress(stream.remoteAddress), port: stream.remotePort ?? 0 },
    };
  }

  private async answerFromClient(route: StealRoute, h2stream: ServerHttp2Stream, headers: IncomingHttpHeaders, stream: PrefixedStream): Promise<void> {
    let answer: ClientAnswer;
    try {
      const body = route.streamBodies ? Buffer.alloc(0) : await readBody(h2stream);
      answer = await route.forward(this.describe(headers, stream, body), route.streamBodies ? h2stream : undefined);
    } catch {
      if (!h2stream.headersSent && !h2stream.destroyed) h2stream.respond({ ":status": 502 }, { endStream: true });
      return;
    }
    if (h2stream.destroyed) return;
    const response = answer.head;
    if (!answer.rest) {
      const trailers = response.trailers;
      h2stream.respond({ ...toOutgoing(response.headers), ":status": response.status }, { waitForTrailers: trailers.length > 0 });
      if (trailers.length > 0) h2stream.once("wantTrailers", () => h2stream.sendTrailers(toOutgoing(trailers)));
      h2stream.end(response.body);
      return;
    }
    // Streamed: the trailers are known only with the last piece.
    let trailers: HttpHeader__Output[] = [];
    h2stream.respond({ ...toOutgoing(response.headers), ":status": response.status }, { waitForTrailers: true });
    h2stream.once("wantTrailers", () => (trailers.length > 0 ? h2stream.sendTrailers(toOutgoing(trailers)) : h2stream.close()));
    try {
      if (response.body.length > 0) await writeWithBackpressure(h2stream, response.body);
      for await (const piece of answer.rest) {
        if (piece.data.length > 0) await writeWithBackpressure(h2stream, piece.data);
        if (piece.end) trailers = piece.trailers;
      }
      h2stream.end();
    } catch {
      h2stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    }
  }
}

/** Proxies one stream to the app and its answer back, trailers included (gRPC status). */
function forwardStream(h2stream: ServerHttp2Stream, headers: IncomingHttpHeaders, upstream: ClientHttp2Session): void {
  const outgoing: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) outgoing[name] = value;
  const request = upstream.request(outgoing);
  h2stream.pipe(request);
  let trailers: IncomingHttpHeaders | undefined;
  request.on("response", (answer) => {
    if (h2stream.destroyed) return;
    const responseHeaders: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer)) if (value !== undefined) responseHeaders[name] = value;
    h2stream.respond(responseHeaders, { waitForTrailers: true });
    h2stream.on("wantTrailers", () => {
      if (trailers && Object.keys(trailers).length > 0) h2stream.sendTrailers(trailers);
      else h2stream.close();
    });
    request.pipe(h2stream);
  });
  request.on("trailers", (t) => {
    trailers = t;
  });
  request.on("error", () => {
    if (!h2stream.headersSent && !h2stream.destroyed) h2stream.respond({ ":status": 502 }, { endStream: true });
    else h2stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  });
  h2stream.on("close", () => {
    if (!request.closed) request.close();
  });
}

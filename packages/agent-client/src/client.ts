/**
 * A thin typed client of the mirrord agent: connects, does the version handshake, keeps
 * the session alive with pings, and offers one method per capability. The session side of
 * mirrord (packages/core) builds on it.
 */
import * as grpc from "@grpc/grpc-js";
import {
  PROTOCOL_VERSION,
  SESSION_METADATA_KEY,
  agentService,
  checkProtocolVersion,
} from "@mirrord-ts/protocol";
import type {
  AddressFamily,
  AgentClient as GrpcAgentClient,
  AgentHello__Output,
  DirEntry__Output,
  FileStat__Output,
  HttpFilter,
  HttpRequest__Output,
  HttpResponse,
  IoError__Output,
  LookupHostResponse__Output,
  MirrorAgentMessage__Output,
  SessionAgentMessage__Output,
  SessionClientMessage,
  StealAgentMessage__Output,
  StealClientMessage,
  UdpAgentMessage__Output,
  UdpClientMessage,
  SocketAddress__Output,
} from "@mirrord-ts/protocol";
import { AgentCallError, AgentHandshakeError } from "./errors.js";
import { AgentTcpStream } from "./tcp-stream.js";

export interface ConnectOptions {
  clientName?: string;
  /** Only for tests of the handshake: pretend to speak another version. */
  protocolVersion?: string;
  /** How long to wait for the connection and the agent's hello. */
  timeoutMs?: number;
}

function fail(error: IoError__Output | null | undefined): never {
  throw new AgentCallError(error?.message ?? "unknown error", undefined, error?.code ?? "EIO");
}

function promisify<Res>(run: (callback: (error: grpc.ServiceError | null, response?: Res) => void) => void): Promise<Res> {
  return new Promise((resolve, reject) =>
    run((error, response) => (error ? reject(new AgentCallError(error.details, error.code, undefined)) : resolve(response as Res))),
  );
}

export class AgentConnection {
  private readonly metadata = new grpc.Metadata();
  private pingTimer: NodeJS.Timeout | undefined;
  private readonly closedListeners = new Set<(reason: string) => void>();
  private readonly openCalls = new Set<{ cancel(): void }>();
  private ended = false;

  private constructor(
    private readonly grpcClient: GrpcAgentClient,
    private readonly sessionCall: grpc.ClientDuplexStream<SessionClientMessage, SessionAgentMessage__Output>,
    readonly hello: AgentHello__Output,
  ) {
    this.metadata.set(SESSION_METADATA_KEY, hello.sessionId);
    const every = Math.max(200, Math.min(5000, Math.floor(hello.communicationTimeoutMs / 3)));
    let seq = 0;
    this.pingTimer = setInterval(() => sessionCall.write({ ping: { seq: ++seq } }), every);
    this.pingTimer.unref();
    sessionCall.on("error", (error: grpc.ServiceError) => this.markEnded(error.details));
    sessionCall.on("end", () => this.markEnded("the agent ended the session"));
  }

  /** Connects to `host:port` and completes the handshake; throws AgentHandshakeError or ProtocolVersionMismatchError. */
  static async connect(address: string, options: ConnectOptions = {}): Promise<AgentConnection> {
    const Client = agentService();
    const grpcClient = new Client(address, grpc.credentials.createInsecure(), {
      "grpc.keepalive_time_ms": 10_000,
      "grpc.keepalive_timeout_ms": 5_000,
      "grpc.max_receive_message_length": 64 * 1024 * 1024,
      // The agent is a port-forward's round trip away: 64 KiB windows would cap each stream.
      "grpc-node.flow_control_window": 8 * 1024 * 1024,
    }) as unknown as GrpcAgentClient;
    const timeoutMs = options.timeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) =>
      grpcClient.waitForReady(Date.now() + timeoutMs, (error) =>
        error ? reject(new AgentHandshakeError(`The agent at ${address} did not answer within ${timeoutMs} ms: ${error.message}`)) : resolve(),
      ),
    );
    const call = grpcClient.Session();
    const clientVersion = options.protocolVersion ?? PROTOCOL_VERSION;
    const hello = await new Promise<AgentHello__Output>((resolve, reject) => {
      const timer = setTimeout(() => reject(new AgentHandshakeError(`The agent at ${address} sent no hello within ${timeoutMs} ms.`)), timeoutMs);
      call.once("data", (message: SessionAgentMessage__Output) => {
        clearTimeout(timer);
        if (message.message === "hello" && message.hello) resolve(message.hello);
        else reject(new AgentHandshakeError("The agent's first message was not hello."));
      });
      call.once("error", (error: grpc.ServiceError) => {
        clearTimeout(timer);
        reject(new AgentHandshakeError(error.details));
      });
      call.write({ hello: { protocolVersion: clientVersion, clientName: options.clientName ?? "mirrord-ts agent-client" } });
    }).catch((error: unknown) => {
      call.cancel();
      grpcClient.close();
      throw error;
    });
    try {
      checkProtocolVersion(clientVersion, hello.protocolVersion);
    } catch (error) {
      call.cancel();
      grpcClient.close();
      throw error;
    }
    return new AgentConnection(grpcClient, call, hello);
  }

  /** Runs when the session ends (closed here, or ended by the agent). */
  onClosed(listener: (reason: string) => void): void {
    if (this.ended) listener("already closed");
    else this.closedListeners.add(listener);
  }

  /**
   * Ends the session and every call made through it, and closes the channel at once (a
   * graceful end would keep the connection open until the agent answers, which it may
   * never do if it is gone).
   */
  close(): void {
    this.sessionCall.end();
    this.sessionCall.cancel();
    for (const call of this.openCalls) call.cancel();
    this.openCalls.clear();
    this.markEnded("closed by the client");
    this.grpcClient.close();
  }

  /** Remembers a streaming call until it ends, so close() can cancel it. */
  private track<C extends { cancel(): void; on(event: "status", listener: () => void): unknown }>(call: C): C {
    this.openCalls.add(call);
    call.on("status", () => this.openCalls.delete(call));
    return call;
  }

  private markEnded(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.pingTimer);
    for (const listener of this.closedListeners) listener(reason);
  }

  // ---- outgoing ----

  /** A TCP connection from the agent's namespace; resolves once connected. */
  connectTcp(ip: string, port: number, timeoutMs = 0): Promise<AgentTcpStream> {
    const call = this.track(this.grpcClient.ConnectTcp(this.metadata));
    const stream = new AgentTcpStream(call);
    return new Promise((resolve, reject) => {
      let settled = false;
      const onError = (error: Error): void => {
        settled = true;
        reject(error);
      };
      stream.once("error", onError);
      // The call may end without "connected" and without an error the stream reports: the
      // agent cancels its calls when the session ends (no ping got through for
      // communication_timeout) or when it shuts down. The connect fails then, never waits on.
      // A refused connect also ends the call (the stream cancels it as it is destroyed with
      // the errno), and that error is emitted a tick later: only a status no error followed counts.
      call.once("status", (status: grpc.StatusObject) => {
        setImmediate(() => {
          if (settled) return;
          settled = true;
          stream.off("error", onError);
          const why = status.code === grpc.status.OK ? "the agent ended the connection before it was made" : status.details || `status ${status.code}`;
          reject(new AgentCallError(`connect to ${ip}:${port}: ${why}`, status.code, status.code === grpc.status.CANCELLED ? "ECONNABORTED" : undefined));
        });
      });
      call.once("data", (message: { message?: string; connected?: { local?: SocketAddress__Output | null } | null }) => {
        if (message.message === "connected" && !settled) {
          settled = true;
          stream.off("error", onError);
          stream.local = message.connected?.local ?? undefined;
          resolve(stream);
        }
      });
      call.write({ connect: { remote: { ip, port }, timeoutMs } });
    });
  }

  /** A UDP socket in the agent's namespace. */
  async udpSocket(family: AddressFamily = "ADDRESS_FAMILY_IPV4"): Promise<AgentUdpSocket> {
    const call = this.track(this.grpcClient.UdpSocket(this.metadata));
    const socket = new AgentUdpSocket(call);
    await socket.bind(family);
    return socket;
  }

  lookupHost(name: string, family: AddressFamily = "ADDRESS_FAMILY_UNSPECIFIED"): Promise<LookupHostResponse__Output> {
    return promisify((cb) => this.grpcClient.LookupHost({ name, family }, this.metadata, cb));
  }

  // ---- target ----

  async getEnv(): Promise<Record<string, string>> {
    const response = await promisify<{ vars: Array<{ name: string; value: string }> }>((cb) => this.grpcClient.GetEnv({}, this.metadata, cb));
    return Object.fromEntries(response.vars.map((v) => [v.name, v.value]));
  }

  /** stat, or lstat with `noFollow`. */
  async statFile(path: string, noFollow = false): Promise<FileStat__Output> {
    const response = await promisify<{ stat: FileStat__Output | null; error: IoError__Output | null }>((cb) =>
      this.grpcClient.StatFile({ path, noFollow }, this.metadata, cb),
    );
    if (response.error) fail(response.error);
    return response.stat!;
  }

  async readLink(path: string): Promise<string> {
    const response = await promisify<{ target: string; error: IoError__Output | null }>((cb) => this.grpcClient.ReadLink({ path }, this.metadata, cb));
    if (response.error) fail(response.error);
    return response.target;
  }

  async readDir(path: string): Promise<DirEntry__Output[]> {
    const response = await promisify<{ entries: DirEntry__Output[]; error: IoError__Output | null }>((cb) => this.grpcClient.ReadDir({ path }, this.metadata, cb));
    if (response.error) fail(response.error);
    return response.entries;
  }

  async openFile(path: string): Promise<{ handle: number; stat: FileStat__Output }> {
    const response = await promisify<{ handle: number; stat: FileStat__Output | null; error: IoError__Output | null }>((cb) =>
      this.grpcClient.OpenFile({ path }, this.metadata, cb),
    );
    if (response.error) fail(response.error);
    return { handle: response.handle, stat: response.stat! };
  }

  async readFile(handle: number, offset: number, length: number): Promise<{ data: Buffer; eof: boolean }> {
    const response = await promisify<{ data: Buffer; eof: boolean; error: IoError__Output | null }>((cb) =>
      this.grpcClient.ReadFile({ handle, offset, length }, this.metadata, cb),
    );
    if (response.error) fail(response.error);
    return { data: response.data, eof: response.eof };
  }

  async closeFile(handle: number): Promise<void> {
    await promisify((cb) => this.grpcClient.CloseFile({ handle }, this.metadata, cb));
  }

  /** open + read to the end + close. */
  async readWholeFile(path: string): Promise<Buffer> {
    const { handle } = await this.openFile(path);
    try {
      const chunks: Buffer[] = [];
      for (let offset = 0; ; ) {
        const { data, eof } = await this.readFile(handle, offset, 256 * 1024);
        chunks.push(data);
        offset += data.length;
        if (eof || data.length === 0) break;
      }
      return Buffer.concat(chunks);
    } finally {
      await this.closeFile(handle);
    }
  }

  async pause(paused: boolean): Promise<boolean> {
    const response = await promisify<{ paused: boolean }>((cb) => this.grpcClient.Pause({ paused }, this.metadata, cb));
    return response.paused;
  }

  // ---- incoming ----

  /**
   * Steals a port. With a filter, `onRequest` answers each matching HTTP request; without
   * one, `onConnection` gets each whole connection. Resolves once the redirect is in place.
   */
  steal(port: number, handlers: StealHandlers, httpFilter?: HttpFilter, options: { streamBodies?: boolean } = {}): Promise<StealHandle> {
    const call = this.track(this.grpcClient.Steal(this.metadata));
    const handle = new StealHandle(call, handlers);
    return handle.subscribe(port, httpFilter, options.streamBodies ?? false);
  }

  /**
   * Mirrors a port; `onMessage` gets connections, copies of their data and closes, or, with
   * an HTTP filter, a copy of each matching request (`httpRequest`).
   */
  mirror(port: number, onMessage: (message: MirrorAgentMessage__Output) => void, httpFilter?: HttpFilter): Promise<{ cancel: () => void }> {
    const call = this.track(this.grpcClient.Mirror({ port, httpFilter: httpFilter ?? null }, this.metadata));
    return new Promise((resolve, reject) => {
      let subscribed = false;
      call.on("data", (message: MirrorAgentMessage__Output) => {
        if (message.message === "subscribed" && !subscribed) {
          subscribed = true;
          resolve({ cancel: () => call.cancel() });
        } else onMessage(message);
      });
      call.on("error", (error: grpc.ServiceError) => {
        if (!subscribed) reject(new AgentCallError(error.details, error.code, undefined));
      });
    });
  }
}

export class AgentUdpSocket {
  private readonly listeners = new Set<(payload: Buffer, peer: SocketAddress__Output) => void>();
  local: SocketAddress__Output | undefined;

  constructor(private readonly call: grpc.ClientDuplexStream<UdpClientMessage, UdpAgentMessage__Output>) {}

  bind(family: AddressFamily): Promise<void> {
    return new Promise((resolve, reject) => {
      this.call.on("data", (message: UdpAgentMessage__Output) => {
        if (message.message === "bound") {
          this.local = message.bound?.local ?? undefined;
          resolve();
        } else if (message.message === "datagram" && message.datagram?.peer) {
          for (const listener of this.listeners) listener(message.datagram.payload, message.datagram.peer);
        } else if (message.message === "error") {
          reject(new AgentCallError(message.error?.message ?? "", undefined, message.error?.code));
        }
      });
      this.call.on("error", (error: grpc.ServiceError) => reject(new AgentCallError(error.details, error.code, undefined)));
      this.call.write({ bind: { family } });
    });
  }

  onMessage(listener: (payload: Buffer, peer: SocketAddress__Output) => void): void {
    this.listeners.add(listener);
  }

  send(payload: Buffer, ip: string, port: number): void {
    this.call.write({ datagram: { peer: { ip, port }, payload } });
  }

  close(): void {
    this.call.cancel();
  }
}

export interface StolenConnection {
  connectionId: number;
  remote: SocketAddress__Output | null;
  /** Bytes to the peer. */
  write(data: Buffer): void;
  /** Closes the connection to the peer. */
  end(): void;
  onData(listener: (data: Buffer) => void): void;
  onClose(listener: () => void): void;
}

/** A local answer: a whole body, or (`stream`) a body sent piece by piece, trailers last. */
export type LocalResponse = Omit<HttpResponse, "requestId" | "bodyStreamed"> & { stream?: AsyncIterable<Buffer> };

export interface StealHandlers {
  /**
   * Answers a matching request. With `streamBodies`, `body` yields the request body as it
   * arrives (`request.body` is empty); otherwise the body is all in `request.body`.
   */
  onRequest?: (request: HttpRequest__Output, body?: AsyncIterable<Buffer>) => Promise<LocalResponse> | LocalResponse;
  onConnection?: (connection: StolenConnection) => void;
}

/** Pieces of a streamed request body, read with `for await`. */
class BodyPieces implements AsyncIterable<Buffer> {
  private readonly items: Buffer[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  push(data: Buffer): void {
    this.items.push(data);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      if (this.items.length > 0) yield this.items.shift()!;
      else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

export class StealHandle {
  private readonly connections = new Map<number, { data: Set<(d: Buffer) => void>; close: Set<() => void> }>();
  private readonly requestBodies = new Map<number, BodyPieces>();
  private ended = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly call: grpc.ClientDuplexStream<StealClientMessage, StealAgentMessage__Output>,
    private readonly handlers: StealHandlers,
  ) {
    call.once("status", () => (this.ended = true));
  }

  subscribe(port: number, httpFilter: HttpFilter | undefined, streamBodies: boolean): Promise<StealHandle> {
    return new Promise((resolve, reject) => {
      let subscribed = false;
      this.call.on("data", (message: StealAgentMessage__Output) => {
        if (message.message === "subscribed") {
          subscribed = true;
          resolve(this);
        } else this.dispatch(message);
      });
      this.call.on("error", (error: grpc.ServiceError) => {
        if (!subscribed) reject(new AgentCallError(error.details, error.code, undefined));
      });
      this.call.write({ subscribe: { port, httpFilter: httpFilter ?? null, streamBodies } });
    });
  }

  private async respond(requestId: number, response: LocalResponse): Promise<void> {
    const { stream, trailers, ...head } = response;
    if (!stream) {
      this.call.write({ httpResponse: { ...head, trailers, requestId } });
      return;
    }
    this.call.write({ httpResponse: { ...head, trailers: [], requestId, bodyStreamed: true } });
    try {
      for await (const data of stream) this.call.write({ httpBody: { requestId, data } });
    } finally {
      this.call.write({ httpBody: { requestId, end: true, trailers: trailers ?? [] } });
    }
  }

  /** Ends the steal at once: the agent removes the redirect a moment later. */
  cancel(): void {
    this.call.cancel();
  }

  /**
   * Ends the steal and resolves once the agent has removed the redirect (it ends its side
   * then), so a connection made next reaches the app; an agent that does not answer within
   * `timeoutMs` gets the call cancelled. The default outlasts the agent's own bound (it lets
   * requests on their way to the app finish for 2 s at most before the rules go).
   */
  close(timeoutMs = 3000): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.ended) return resolve();
      const timer = setTimeout(() => {
        this.call.cancel();
        resolve();
      }, timeoutMs);
      this.call.once("status", () => {
        clearTimeout(timer);
        resolve();
      });
      this.call.end();
    });
    return this.closing;
  }

  private dispatch(message: StealAgentMessage__Output): void {
    if (message.message === "httpRequest" && message.httpRequest) {
      const request = message.httpRequest;
      let body: BodyPieces | undefined;
      if (request.bodyStreamed) {
        body = new BodyPieces();
        this.requestBodies.set(request.requestId, body);
      }
      void Promise.resolve()
        .then((): Promise<LocalResponse> | LocalResponse => this.handlers.onRequest?.(request, body) ?? { status: 502, headers: [], body: Buffer.from("no request handler\n") })
        .catch((): LocalResponse => ({ status: 500, headers: [], body: Buffer.from("the local handler failed\n") }))
        .then((response) => this.respond(request.requestId, response));
    } else if (message.message === "httpBody" && message.httpBody) {
      const piece = message.httpBody;
      const body = this.requestBodies.get(piece.requestId);
      if (piece.data.length > 0) body?.push(piece.data);
      if (piece.end) {
        body?.end();
        this.requestBodies.delete(piece.requestId);
      }
    } else if (message.message === "connection" && message.connection) {
      const connectionId = message.connection.connectionId;
      const listeners = { data: new Set<(d: Buffer) => void>(), close: new Set<() => void>() };
      this.connections.set(connectionId, listeners);
      this.handlers.onConnection?.({
        connectionId,
        remote: message.connection.remote,
        write: (data) => this.call.write({ data: { connectionId, data } }),
        end: () => this.call.write({ close: { connectionId } }),
        onData: (listener) => listeners.data.add(listener),
        onClose: (listener) => listeners.close.add(listener),
      });
    } else if (message.message === "data" && message.data) {
      const data = message.data.data;
      this.connections.get(message.data.connectionId)?.data.forEach((l) => l(data));
    } else if (message.message === "closed" && message.closed) {
      const listeners = this.connections.get(message.closed.connectionId);
      this.connections.delete(message.closed.connectionId);
      listeners?.close.forEach((l) => l());
    }
  }
}

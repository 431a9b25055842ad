/**
 * Incoming traffic for local servers: when a program binds and listens on a port the config
 * mirrors or steals, the session subscribes the (mapped) remote port at the agent and
 * delivers each remote connection — or, with an HTTP filter, each matching request — to the
 * program, which sees the remote client as its peer. Its own port need not be free: the
 * listener is bound elsewhere and still reports the port it asked for (not a loopback
 * listener: local clients know its port).
 */
import http from 'node:http';
import http2 from 'node:http2';
import { createServer, type Socket } from 'node:net';
import type { AgentConnection, StealHandle } from '@mirrord-ts/agent-client';
import { bindElsewhere, connectInbound, type LayerSupervisor, type Notification } from '@mirrord-ts/layer';
import type { IncomingConfig } from '../config/definition.js';
import { ConfigError } from '../errors.js';

interface Listener {
  /** The layer listener (one process lineage) whose program listens: its exit ends the subscription. */
  readonly lineage: number;
  readonly pid: number;
  readonly fd: number;
  readonly remotePort: number;
  /** Where the session connects to reach the program's listener. */
  readonly host: string;
  readonly port: number;
}

type HttpRequest = Parameters<NonNullable<Parameters<AgentConnection['steal']>[1]['onRequest']>>[0];
type HttpResponse = Awaited<ReturnType<NonNullable<Parameters<AgentConnection['steal']>[1]['onRequest']>>>;

/** Hop-by-hop headers never copied between the agent and the local program. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/** The agent filters on one header regex and one path regex; the config keys it can honour. */
export function agentHttpFilter(config: IncomingConfig, port: number): { headerRegex: string; pathRegex: string } | undefined {
  const filter = config.http_filter;
  if (filter.ports && !filter.ports.includes(port)) return undefined;
  const unsupported = (['method_filter', 'all_of', 'any_of'] as const).find((k) => filter[k] !== null);
  if (unsupported) {
    throw new ConfigError([
      { key: `feature.network.incoming.http_filter.${unsupported}`, message: `\`feature.network.incoming.http_filter.${unsupported}\` is not supported by this version's agent.`, help: 'Use header_filter or path_filter.' },
    ]);
  }
  if (filter.header_filter === null && filter.path_filter === null) return undefined;
  return { headerRegex: stripInlineFlag(filter.header_filter ?? ''), pathRegex: stripInlineFlag(filter.path_filter ?? '') };
}

function stripInlineFlag(regex: string): string {
  return regex.replace(/^\(\?i\)/, '');
}

export class IncomingTraffic {
  readonly #bound = new Map<string, Listener>();
  readonly #subscriptions: { lineage: number; remotePort: number; handle: { close(): Promise<void> } }[] = [];
  /**
   * Remote ports this session subscribes (or is subscribing), with the local listener they go
   * to: a program listening twice on one port (127.0.0.1 and ::1, 0.0.0.0 and :: with
   * IPV6_V6ONLY) gets the remote traffic on its first listener, not an error on the second.
   */
  readonly #remotePorts = new Map<number, Listener>();
  /** Port probes in progress: two binds of one port must not see each other's probe as the port being taken. */
  readonly #probes = new Map<number, Promise<unknown>>();
  readonly #sockets = new Set<Socket>();

  constructor(
    private readonly supervisor: LayerSupervisor,
    private readonly agent: AgentConnection,
    private readonly config: IncomingConfig,
    private readonly log: (line: string) => void,
    /** Ports never mirrored or stolen besides the config's (debugger ports). */
    private readonly isIgnored: (port: number) => boolean = () => false,
  ) {}

  /** Whether incoming traffic needs the session to see binds and listens at all. */
  static wanted(config: IncomingConfig): boolean {
    return config.mode !== 'off';
  }

  /** The remote port a local port stands for, or undefined when it is not mirrored or stolen. */
  remotePortOf(localPort: number): number | undefined {
    if (localPort === 0 || this.isIgnored(localPort)) return undefined;
    const mapped = this.config.port_mapping.find(([local]) => local === localPort)?.[1] ?? localPort;
    if (this.config.ignore_ports.includes(mapped) || this.config.ignore_ports.includes(localPort)) return undefined;
    if (this.config.ports && !this.config.ports.includes(mapped)) return undefined;
    return mapped;
  }

  async onBind(n: Notification): Promise<void> {
    const asked = n.addr;
    const remotePort = asked?.port !== undefined ? this.remotePortOf(asked.port) : undefined;
    if (!asked || (asked.family !== 'inet' && asked.family !== 'inet6') || remotePort === undefined || n.fd === undefined) {
      this.supervisor.respond(n, { continue: true });
      return;
    }
    const askedIp = asked.ipv4 ?? asked.address ?? '0.0.0.0';
    if (this.config.ignore_localhost && (askedIp.startsWith('127.') || askedIp === '::1')) {
      this.supervisor.respond(n, { continue: true });
      return;
    }
    const wantedLocal = this.config.listen_ports.find(([remote]) => remote === remotePort)?.[1] ?? asked.port!;
    const ip = asked.family === 'inet6' && !asked.ipv4 ? (asked.address ?? '::') : askedIp;
    // Keep the port the program asked for when it is free here; otherwise any free port. A
    // loopback listener always keeps it (or gets the bind's own error, as without mirrord):
    // local clients reach it at that port — a debugger's inspector is one, and js-debug
    // connects to the port it told the debuggee to open.
    const loopback = ip.startsWith('127.') || ip === '::1';
    const port = loopback || (await this.#portIsFree(ip, wantedLocal)) ? wantedLocal : 0;
    let bound: number | undefined;
    try {
      bound = bindElsewhere(this.supervisor, n, ip, port);
    } catch (error) {
      this.log(`bind of pid ${n.pid} on ${ip}:${port} failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (bound === undefined) return;
    const host = ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : ip;
    this.#bound.set(`${n.pid}:${n.fd}`, { lineage: n.listener, pid: n.pid, fd: n.fd, remotePort, host, port: bound });
    if (bound !== asked.port) this.log(`port ${asked.port} is taken here; the program listens on ${bound} and still sees ${asked.port}`);
  }

  async onListen(n: Notification): Promise<void> {
    this.supervisor.respond(n, { continue: true });
    const listener = this.#bound.get(`${n.pid}:${n.fd}`);
    if (!listener) return;
    this.#bound.delete(`${n.pid}:${n.fd}`);
    const first = this.#remotePorts.get(listener.remotePort);
    if (first) {
      this.log(`remote port ${listener.remotePort} already goes to ${first.host}:${first.port} (pid ${first.pid}); the listener on ${listener.host}:${listener.port} gets local connections only`);
      return;
    }
    this.#remotePorts.set(listener.remotePort, listener);
    try {
      if (this.config.mode === 'steal') await this.#steal(listener);
      else await this.#mirror(listener);
      this.log(`${this.config.mode === 'steal' ? 'stealing' : 'mirroring'} remote port ${listener.remotePort} to local port ${listener.port}`);
    } catch (error) {
      this.#remotePorts.delete(listener.remotePort);
      this.log(`could not ${this.config.mode} remote port ${listener.remotePort}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** One probe of a port at a time. */
  #portIsFree(host: string, port: number): Promise<boolean> {
    const probe = (this.#probes.get(port) ?? Promise.resolve()).then(() => portIsFree(host, port));
    const settled = probe.catch(() => undefined);
    this.#probes.set(port, settled);
    void settled.then(() => this.#probes.get(port) === settled && this.#probes.delete(port));
    return probe;
  }

  /**
   * Every process of a lineage has exited: its ports are unsubscribed at the agent, so a
   * restarted program (an IDE's restart, in the same `ext` session) gets the port again
   * instead of the remote traffic going to a listener that is gone.
   */
  release(lineage: number): void {
    for (const subscription of this.#subscriptions.filter((s) => s.lineage === lineage)) {
      this.#subscriptions.splice(this.#subscriptions.indexOf(subscription), 1);
      this.#remotePorts.delete(subscription.remotePort);
      void subscription.handle.close();
    }
  }

  /** Resolves once the agent has given the ports back to the app (or did not answer in time). */
  async close(): Promise<void> {
    this.#remotePorts.clear();
    const closing = this.#subscriptions.splice(0).map((subscription) => subscription.handle.close());
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(closing);
  }

  #connect(listener: Listener, peer: { ip: string; port: number } | null): Socket {
    const socket = connectInbound(this.supervisor, listener.port, peer ?? { ip: '127.0.0.1', port: 0 }, listener.host);
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  }

  async #steal(listener: Listener): Promise<void> {
    const filter = agentHttpFilter(this.config, listener.remotePort);
    const handle: StealHandle = await this.agent.steal(
      listener.remotePort,
      {
        onConnection: (connection) => {
          const local = this.#connect(listener, connection.remote);
          local.on('data', (data) => connection.write(data));
          local.on('close', () => connection.end());
          connection.onData((data) => local.write(data));
          connection.onClose(() => local.end());
        },
        onRequest: (request) => (request.version === 'HTTP/2' ? this.#replayHttp2(listener, request) : this.#replayHttp1(listener, request)),
      },
      filter ? { headerRegex: filter.headerRegex, pathRegex: filter.pathRegex } : undefined,
    );
    this.#subscriptions.push({ lineage: listener.lineage, remotePort: listener.remotePort, handle });
  }

  async #mirror(listener: Listener): Promise<void> {
    const copies = new Map<string, Socket>();
    const subscription = await this.agent.mirror(listener.remotePort, (message) => {
      if (message.message === 'connection' && message.connection) {
        const local = this.#connect(listener, message.connection.remote);
        // The program's answers to a mirrored connection go nowhere: the pod answers the client.
        local.on('data', () => undefined);
        copies.set(String(message.connection.connectionId), local);
      } else if (message.message === 'data' && message.data) {
        copies.get(String(message.data.connectionId))?.write(message.data.data);
      } else if (message.message === 'closed' && message.closed) {
        const id = String(message.closed.connectionId);
        copies.get(id)?.end();
        copies.delete(id);
      }
    });
    this.#subscriptions.push({ lineage: listener.lineage, remotePort: listener.remotePort, handle: { close: async () => subscription.cancel() } });
  }

  /** A filtered request, replayed to the program over HTTP/1.1 from the remote client's address. */
  #replayHttp1(listener: Listener, request: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve) => {
      const headers: Record<string, string | string[]> = {};
      for (const { name, value } of request.headers) {
        const key = name.toLowerCase();
        if (HOP_BY_HOP.has(key) || key.startsWith(':')) continue;
        const existing = headers[key];
        headers[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
      }
      headers['content-length'] = String(request.body.length);
      const req = http.request(
        { method: request.method, path: request.path, headers, createConnection: () => this.#connect(listener, request.remote) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: toHeaderList(res.headers),
              body: Buffer.concat(chunks),
              trailers: [],
            }),
          );
        },
      );
      req.on('error', (error) => resolve({ status: 502, headers: [{ name: 'content-type', value: 'text/plain' }], body: Buffer.from(`mirrord: the local program did not answer (${error.message})\n`), trailers: [] }));
      req.end(request.body);
    });
  }

  /** A filtered HTTP/2 request (gRPC included), replayed over h2c with its trailers. */
  #replayHttp2(listener: Listener, request: HttpRequest): Promise<HttpResponse> {
    return new Promise((resolve) => {
      const session = http2.connect(`http://${listener.host}:${listener.port}`, { createConnection: () => this.#connect(listener, request.remote) });
      const fail = (error: Error) => {
        session.destroy();
        resolve({ status: 502, headers: [], body: Buffer.from(`mirrord: the local program did not answer (${error.message})\n`), trailers: [] });
      };
      session.on('error', fail);
      const headers: http2.OutgoingHttpHeaders = { ':method': request.method, ':path': request.path };
      for (const { name, value } of request.headers) {
        const key = name.toLowerCase();
        if (HOP_BY_HOP.has(key) || key === ':method' || key === ':path') continue;
        headers[key] = value;
      }
      const stream = session.request(headers, { endStream: false });
      let status = 502;
      let responseHeaders: HttpResponse['headers'] = [];
      let trailers: HttpResponse['trailers'] = [];
      const chunks: Buffer[] = [];
      stream.on('response', (h) => {
        status = Number(h[':status'] ?? 502);
        responseHeaders = toHeaderList(h);
      });
      stream.on('trailers', (t) => (trailers = toHeaderList(t)));
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        session.close();
        resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks), trailers });
      });
      stream.on('error', fail);
      stream.end(request.body);
    });
  }
}

function toHeaderList(headers: http.IncomingHttpHeaders | http2.IncomingHttpHeaders): { name: string; value: string }[] {
  const list: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [String(value)]) list.push({ name, value: v });
  }
  return list;
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * The session's side of the interception layer for one session: it supervises every local
 * process that runs under the layer and decides, per trapped syscall, what happens:
 *  - connects the config sends remote are carried by the agent (a local relay end per
 *    connection, so the program keeps a real socket), the rest pass untouched;
 *  - connects to a nameserver go to the session's DNS server (pod resolution);
 *  - skipped processes (skip_processes, build tools, debugger helpers) run without a filter.
 */
import { closeSync, existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import type { AgentConnection } from '@mirrord-ts/agent-client';
import { DEFAULT_GROUPS, LayerSupervisor, SyscallGroup, getFd, launcherArgv, layerEnv, redirectConnect, socketInfo, type Hello, type LayerPolicy, type Notification } from '@mirrord-ts/layer';
import type { MirrordConfig } from '../config/definition.js';
import { DnsServer, firstNameserver } from './dns-server.js';
import { IncomingTraffic } from './incoming.js';
import { routeOutgoing, type Protocol } from './outgoing-policy.js';
import { killRecorded, processStartTime } from './process-identity.js';
import { NATIVE_LOCAL_PREFIXES, RemoteFiles } from './remote-files.js';

/** errno values the session answers with. */
const ERRNO: Readonly<Record<string, number>> = { ECONNREFUSED: 111, ETIMEDOUT: 110, EHOSTUNREACH: 113, ENETUNREACH: 101, ECONNRESET: 104, EACCES: 13 };

/** mirrord's build tools, left alone when skip_build_tools is on (the default). */
export const BUILD_TOOLS = ['as', 'cc', 'ld', 'go', 'air', 'asm', 'cc1', 'cgo', 'dlv', 'gcc', 'git', 'link', 'math', 'cargo', 'hpack', 'rustc', 'compile', 'collect2', 'cargo-watch', 'debugserver'];

export interface InterceptOptions {
  readonly config: MirrordConfig;
  readonly agent: AgentConnection;
  readonly socketPath: string;
  /** Extra process names to skip (MIRRORD_SKIP_PROCESSES from an IDE). */
  readonly extraSkip?: readonly string[];
  /** Destination ports never intercepted (debugger ports), single or [from, to]. */
  readonly ignorePorts?: ReadonlyArray<number | readonly [number, number]>;
  /** Where diagnostics go (the session log). */
  readonly log?: (line: string) => void;
  /** The machine's resolv.conf, for names the DNS filter keeps local. */
  readonly localResolvConf?: string;
  /** A private folder of the session (copies of remote files); the socket's folder by default. */
  readonly sessionDir?: string;
  /** Folders whose files are always local (the working directory of the program). */
  readonly localDirs?: readonly string[];
  /** Finds a debugger's own port in a process's argv (MIRRORD_DETECT_DEBUGGER_PORT); it is then never intercepted. */
  readonly detectDebuggerPort?: (argv: readonly string[]) => number | undefined;
}

export class InterceptSession {
  readonly #supervisor: LayerSupervisor;
  readonly #dns: DnsServer;
  readonly #incoming: IncomingTraffic | undefined;
  readonly #files: RemoteFiles | undefined;
  readonly #ignoredPorts: (number | readonly [number, number])[];
  readonly #live = new Set<number>();
  /** Every process that said hello, with its start time: the processes of this session. */
  readonly #processes = new Map<number, string>();
  readonly #idleListeners = new Set<() => void>();
  readonly #closers = new Set<() => void>();
  #everAttached = false;
  #closed = false;

  private constructor(
    private readonly options: InterceptOptions,
    dns: DnsServer,
  ) {
    this.#dns = dns;
    const skip = new Set([...options.config.skip_processes, ...(options.extraSkip ?? []), ...(options.config.skip_build_tools ? [...BUILD_TOOLS, ...options.config.skip_extra_build_tools] : [])]);
    this.#ignoredPorts = [...(options.ignorePorts ?? [])];
    this.#supervisor = LayerSupervisor.start(
      options.socketPath,
      {
        onHello: (hello: Hello) => {
          const started = processStartTime(hello.pid);
          if (started) this.#processes.set(hello.pid, started);
          // The program's own files (its executable, the script it runs) stay local.
          for (const arg of [hello.exe, ...hello.argv]) if (arg.startsWith('/') && existsSync(arg)) this.#files?.addLocalDir(dirname(arg));
          const debuggerPort = options.detectDebuggerPort?.(hello.argv);
          if (debuggerPort !== undefined) this.#ignorePort(debuggerPort);
          if (!skip.has(basename(hello.exe)) && !skip.has(basename(hello.argv[0] ?? ''))) return {};
          // A skipped process keeps the filter but all its calls pass natively, so the program it
          // starts (dlv's debuggee, `go run`'s binary — static ones too) is still intercepted.
          this.#supervisor.skipProcess(hello.pid);
          return hello.kind === 'inherited' ? { skip: true } : {};
        },
        onNotification: (n) => this.#onNotification(n),
        onAttached: (e) => {
          this.#everAttached = true;
          this.#live.add(e.listener);
        },
        onDetached: (e) => {
          this.#live.delete(e.listener);
          this.#incoming?.release(e.listener);
          if (this.#live.size === 0) for (const listener of this.#idleListeners) listener();
        },
        onError: (message) => this.#log(`layer: ${message}`),
      },
      this.#policy(),
    );
    this.#incoming = IncomingTraffic.wanted(options.config.feature.network.incoming)
      ? new IncomingTraffic(this.#supervisor, options.agent, options.config.feature.network.incoming, (line) => this.#log(line), (port) => this.#isIgnored(port))
      : undefined;
    this.#files = RemoteFiles.wanted(options.config.feature.fs)
      ? new RemoteFiles(this.#supervisor, options.agent, options.config.feature.fs, options.sessionDir ?? dirname(options.socketPath), options.localDirs ?? [], (line) => this.#log(line))
      : undefined;
    // The agent may end the session under running programs (no ping got through for
    // communication_timeout, the agent gone): their remote calls fail from then on; say why.
    options.agent.onClosed((reason) => {
      if (!this.#closed) this.#log(`the agent connection ended while programs may still use it: ${reason}`);
    });
  }

  static async start(options: InterceptOptions): Promise<InterceptSession> {
    const dnsConfig = options.config.feature.network.dns;
    const localFilter = dnsConfig.filter;
    const dns = new DnsServer({
      remote: {
        lookup: async (name, family) => {
          try {
            const answer = await options.agent.lookupHost(name, family === 4 ? 'ADDRESS_FAMILY_IPV4' : 'ADDRESS_FAMILY_IPV6');
            if (answer.error) return answer.error.code === 'ENOTFOUND' || answer.error.code === 'ENODATA' ? { notFound: true } : { failed: answer.error.code };
            return { addresses: answer.addresses.map((a) => a.ip) };
          } catch (error) {
            return { failed: error instanceof Error ? error.message : String(error) };
          }
        },
      },
      resolveLocally: (name) => {
        if (!localFilter) return false;
        const listed = localFilter.entries.some((e) => e.host?.kind === 'name' && (name === e.host.name || name.endsWith(`.${e.host.name}`)));
        return localFilter.mode === 'local' ? listed : !listed;
      },
      upstream: firstNameserver(options.localResolvConf ?? safeRead('/etc/resolv.conf')),
    });
    await dns.start();
    return new InterceptSession(options, dns);
  }

  #policy(): LayerPolicy {
    const config = this.options.config;
    const files = RemoteFiles.wanted(config.feature.fs);
    return {
      ignorePorts: this.#ignoredPorts,
      // Ubuntu's stub resolver listens on 127.0.0.53: loopback DNS must reach the session too.
      trapLoopbackPorts: config.feature.network.dns.enabled ? [53] : [],
      // bind and listen come to the session; accepts are served natively (with the registered peers).
      inbound: IncomingTraffic.wanted(config.feature.network.incoming) ? 'bind' : 'pass',
      files: { toSession: files, localPrefixes: NATIVE_LOCAL_PREFIXES },
      defaultGroups: files ? DEFAULT_GROUPS | SyscallGroup.files : DEFAULT_GROUPS,
    };
  }

  #isIgnored(port: number): boolean {
    return this.#ignoredPorts.some((entry) => (typeof entry === 'number' ? entry === port : port >= entry[0] && port <= entry[1]));
  }

  #ignorePort(port: number): void {
    if (this.#isIgnored(port)) return;
    this.#ignoredPorts.push(port);
    this.#supervisor.setPolicy(this.#policy());
  }

  /** Environment that makes a dynamic program (and its children) run under the layer. */
  env(existingPreload?: string): Record<string, string> {
    return layerEnv(this.options.socketPath, existingPreload);
  }

  /** argv that runs any program (static ones included) under the layer. */
  launcherArgv(command: string, args: readonly string[]): [string, string[]] {
    return launcherArgv(this.options.socketPath, command, args);
  }

  /** Runs when the last supervised process has exited. */
  onIdle(listener: () => void): void {
    this.#idleListeners.add(listener);
  }

  /**
   * SIGKILL to every process of this session that still runs; for the one who launched them
   * (the IDE server's dlv): a debuggee its debugger left behind must not outlive the session.
   */
  killProcesses(): number[] {
    return killRecorded(this.#processes);
  }

  get processCount(): number {
    return this.#live.size;
  }

  get everAttached(): boolean {
    return this.#everAttached;
  }

  stats() {
    return this.#supervisor.stats();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const close of this.#closers) close();
    const incomingClosed = this.#incoming?.close();
    this.#supervisor.close();
    await this.#dns.close();
    await incomingClosed;
  }

  #log(line: string): void {
    this.options.log?.(line);
  }

  #onNotification(n: Notification): void {
    if (n.syscall === 'connect' && n.addr && (n.addr.family === 'inet' || n.addr.family === 'inet6') && n.addr.port !== undefined) {
      void this.#onConnect(n, n.addr.ipv4 ?? n.addr.address ?? '', n.addr.port).catch((error: unknown) => {
        this.#log(`connect of pid ${n.pid}: ${error instanceof Error ? error.message : String(error)}`);
        this.#supervisor.respond(n, { error: ERRNO.ECONNREFUSED! });
      });
      return;
    }
    if (n.group === SyscallGroup.files) {
      if (!this.#files?.handle(n)) this.#supervisor.respond(n, { continue: true });
      return;
    }
    if (this.#incoming && (n.syscall === 'bind' || n.syscall === 'listen')) {
      const handled = n.syscall === 'bind' ? this.#incoming.onBind(n) : this.#incoming.onListen(n);
      void handled.catch((error: unknown) => {
        this.#log(`${n.syscall} of pid ${n.pid}: ${error instanceof Error ? error.message : String(error)}`);
        this.#supervisor.respond(n, { continue: true });
      });
      return;
    }
    // sendto/sendmsg without a connect (unconnected UDP, TCP Fast Open), accepts of listeners
    // nobody subscribed, names: pass.
    this.#supervisor.respond(n, { continue: true });
  }

  async #onConnect(n: Notification, ip: string, port: number): Promise<void> {
    const protocol = this.#protocolOf(n);
    if (!protocol) return void this.#supervisor.respond(n, { continue: true });
    const network = this.options.config.feature.network;
    if (port === 53 && network.dns.enabled) {
      redirectConnect(this.#supervisor, n, '127.0.0.1', this.#dns.port);
      return;
    }
    if (routeOutgoing(network.outgoing, { ip, port, protocol }, this.#dns.namesOf) === 'local') {
      this.#supervisor.respond(n, { continue: true });
      return;
    }
    if (protocol === 'tcp') await this.#relayTcp(n, ip, port);
    else await this.#relayUdp(n, ip, port);
  }

  #protocolOf(n: Notification): Protocol | undefined {
    if (n.fd === undefined) return undefined;
    let fd: number;
    try {
      fd = getFd(n.pid, n.fd);
    } catch {
      return undefined;
    }
    try {
      const info = socketInfo(fd);
      return info.type === 'stream' ? 'tcp' : info.type === 'dgram' ? 'udp' : undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** The agent connects first (so refusals reach the program as ECONNREFUSED), then the program's socket is joined to it. */
  async #relayTcp(n: Notification, ip: string, port: number): Promise<void> {
    let remote;
    try {
      remote = await this.options.agent.connectTcp(ip, port, 10_000);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ECONNREFUSED';
      this.#supervisor.respond(n, { error: ERRNO[code] ?? ERRNO.ECONNREFUSED! });
      return;
    }
    const relay = createServer();
    relay.maxConnections = 1;
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    const relayPort = (relay.address() as { port: number }).port;
    const joined = new Promise<Socket>((resolve) => relay.once('connection', resolve));
    if (!redirectConnect(this.#supervisor, n, '127.0.0.1', relayPort)) {
      relay.close();
      remote.destroy();
      return;
    }
    const local = await joined;
    relay.close();
    const close = () => {
      local.destroy();
      remote.destroy();
    };
    this.#closers.add(close);
    local.on('close', () => this.#closers.delete(close));
    local.on('error', () => remote.destroy());
    remote.on('error', () => local.destroy());
    local.pipe(remote);
    remote.pipe(local);
  }

  /** A local UDP end per connected socket; datagrams go through the agent and back. */
  async #relayUdp(n: Notification, ip: string, port: number): Promise<void> {
    const remote = await this.options.agent.udpSocket(ip.includes(':') ? 'ADDRESS_FAMILY_IPV6' : 'ADDRESS_FAMILY_IPV4');
    const relay = createSocket('udp4');
    await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', () => resolve()));
    let programPort: number | undefined;
    let idle: NodeJS.Timeout | undefined;
    const close = () => {
      clearTimeout(idle);
      this.#closers.delete(close);
      remote.close();
      relay.close();
    };
    // UDP has no close: a relay idle for a minute is dropped (the program's next send re-connects… or not, like a NAT).
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(close, 60_000);
      idle.unref();
    };
    this.#closers.add(close);
    relay.on('message', (payload, rinfo) => {
      programPort = rinfo.port;
      touch();
      remote.send(payload, ip, port);
    });
    remote.onMessage((payload) => {
      touch();
      if (programPort !== undefined) relay.send(payload, programPort, '127.0.0.1');
    });
    touch();
    if (!redirectConnect(this.#supervisor, n, '127.0.0.1', (relay.address() as { port: number }).port)) close();
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

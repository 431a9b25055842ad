/**
 * `mirrord ide-server --stdio`: the IDE protocol of ./protocol.ts over JSON-RPC 2.0 with LSP
 * base framing, on vscode-languageserver (lifecycle, work-done progress and cancellation come
 * from LSP). The server outlives no client: every session it started is stopped when the
 * client asks, when the debuggee exits, when the agent connection ends, and when the server
 * goes (shutdown/exit, stdin closed, SIGTERM/SIGHUP/SIGINT, the client process gone).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { format } from 'node:util';
import {
  createConnection,
  ResponseError,
  ErrorCodes as LspErrorCodes,
  LSPErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
  type CancellationToken,
  type Connection,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { discoverConfigFile } from '../config/discover.js';
import { configJsonSchema } from '../config/json-schema.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { asMirrordError, ClusterError, ConfigError, UsageError } from '../errors.js';
import { progressTo, type Progress } from '../progress.js';
import type { Session, SessionOptions } from '../session/session.js';
import { formatTargetPath } from '../target/target-path.js';
import { VERSION } from '../version.js';
import {
  ConfigSchema,
  ErrorCodes,
  ListSessions,
  ListTargets,
  PROTOCOL_VERSION,
  SessionEnded,
  StartSession,
  StopSession,
  VerifyConfig,
  type ErrorData,
  type ErrorKind,
  type SessionEndReason,
  type SessionState,
  type TargetKind,
} from './protocol.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface IdeServerOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** The server's environment (KUBECONFIG, MIRRORD_AGENT_IMAGE, …), handed to every session. */
  readonly env: Env;
  /** What relative `cwd` parameters are resolved against. */
  readonly cwd: string;
  /** The server's log (stderr: VS Code shows it in the mirrord output channel). */
  readonly log: (line: string) => void;
  /** Starts a session; core's startSession unless a test injects a fault. */
  readonly startSession?: (options: SessionOptions) => Promise<Session>;
}

/** Debug types whose adapter is started by the server under the layer (static executables). */
const GO_DEBUG_TYPES = new Set(['go']);
/** Tool processes of each debugger that must never be intercepted. */
const DEBUGGER_TOOLS: Readonly<Record<string, readonly string[]>> = {
  go: ['dlv', 'debugserver', 'compile', 'go', 'asm', 'cgo', 'link', 'git', 'gcc', 'as', 'ld', 'collect2', 'cc1'],
};
/** How the debugger's own port is found in a process's argv (it is never intercepted), per debug type. */
const DEBUGGER_PORT_DETECTION: Readonly<Record<string, string>> = { debugpy: 'debugpy', python: 'debugpy', java: 'javaagent' };
/** A session whose processes have all exited is ended after this grace (a re-exec or restart attaches again). */
const IDLE_GRACE_MS = 1500;
/** How long dlv may take to say where it listens. */
const DLV_START_TIMEOUT_MS = 20_000;

interface ManagedSession {
  readonly id: string;
  readonly target: string;
  readonly startedAt: string;
  state: SessionState;
  session?: Session;
  adapter?: ChildProcess;
  ended?: Promise<void>;
}

/** Turns anything thrown into the protocol's JSON-RPC error: one sentence, data {kind, key?, file?, help}. */
export function toResponseError(thrown: unknown, showPath: (path: string) => string = (p) => p): ResponseError<ErrorData> {
  const error = asMirrordError(thrown);
  const kind: ErrorKind = error.kind === 'usage' ? 'config' : error.kind;
  const data: { kind: ErrorKind; key?: string; file?: string; help: string } = { kind, help: error.help };
  if (error instanceof ConfigError) {
    if (error.key) data.key = error.key;
    if (error.file) data.file = showPath(error.file);
  }
  return new ResponseError(ErrorCodes[kind], error.message, data);
}

export class IdeServer {
  readonly #connection: Connection;
  readonly #options: IdeServerOptions;
  readonly #sessions = new Map<string, ManagedSession>();
  #initialized = false;
  #exiting = false;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(connection: Connection, options: IdeServerOptions) {
    this.#connection = connection;
    this.#options = options;
    this.#register();
  }

  #log(line: string): void {
    this.#options.log(line);
  }

  #register(): void {
    const c = this.#connection;
    c.onInitialize((params) => {
      const offered = (params.initializationOptions as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (offered !== PROTOCOL_VERSION) {
        const said = typeof offered === 'number' ? `version ${offered}` : 'no version';
        this.#log(`initialize refused: the client speaks ${said}`);
        return new ResponseError(
          ErrorCodes.protocolVersionMismatch,
          `The IDE extension speaks mirrord IDE protocol ${said}, but this mirrord server (${VERSION}) speaks version ${PROTOCOL_VERSION}.`,
          { kind: 'bug', help: 'Install the IDE extension and the mirrord server of the same release; they ship together.' } as never,
        );
      }
      this.#initialized = true;
      this.#log(`initialized by ${params.clientInfo?.name ?? 'a client'} ${params.clientInfo?.version ?? ''}`.trimEnd());
      return {
        capabilities: { experimental: { mirrord: { protocolVersion: PROTOCOL_VERSION } } },
        serverInfo: { name: 'mirrord', version: VERSION },
      };
    });
    c.onShutdown(async () => {
      await this.stopAll('serverExit');
    });

    c.onRequest(VerifyConfig.method, (params: VerifyConfig.Params | undefined) => this.#guard(() => this.verifyConfig(params ?? ({} as VerifyConfig.Params))));
    c.onRequest(ConfigSchema.method, () => this.#guard(() => configJsonSchema() as ConfigSchema.Result));
    c.onRequest(ListTargets.method, (params: ListTargets.Params | undefined) => this.#guard(() => this.listTargets(params ?? ({} as ListTargets.Params))));
    c.onRequest(StartSession.method, (params: StartSession.Params | undefined, token: CancellationToken) => this.#guard(() => this.startSession(params ?? ({} as StartSession.Params), token)));
    c.onRequest(StopSession.method, (params: StopSession.Params | undefined) => this.#guard(() => this.stopSession(params ?? ({} as StopSession.Params))));
    c.onRequest(ListSessions.method, () => this.#guard(() => this.listSessions()));
  }

  /** Every failure leaves as the protocol's error; nothing leaves as a stack trace. */
  async #guard<T>(work: () => T | Promise<T>): Promise<T | ResponseError<ErrorData | undefined>> {
    if (!this.#initialized) return new ResponseError(LspErrorCodes.ServerNotInitialized, 'The mirrord server was not initialized.', undefined);
    const done = Promise.resolve().then(work);
    this.#inFlight.add(done);
    done.then(() => this.#inFlight.delete(done), () => this.#inFlight.delete(done));
    try {
      return await done;
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<ErrorData>;
      const response = toResponseError(error);
      this.#log(`error (${response.data?.kind}): ${response.message}`);
      return response;
    }
  }

  #cwd(cwd: string | undefined): string {
    if (typeof cwd !== 'string' || cwd === '') {
      throw new UsageError('ide.no_cwd', 'The request has no "cwd" (the workspace folder).', 'Send the workspace folder as "cwd"; this is a bug in the IDE extension.');
    }
    return resolve(this.#options.cwd, cwd);
  }

  /** A path expressed from the cwd the client gave: absolute for an absolute cwd, else relative the same way. */
  #show(givenCwd: string, path: string): string {
    return isAbsolute(givenCwd) ? path : join(givenCwd, relative(resolve(this.#options.cwd, givenCwd), path));
  }

  #load(params: { cwd: string; configFile?: string | undefined }, target?: string, namespace?: string): LoadedConfig {
    const cwd = this.#cwd(params.cwd);
    try {
      return loadConfig({ cwd, configFile: params.configFile || undefined, env: this.#options.env, overrides: { target: target || undefined, namespace: namespace || undefined } });
    } catch (error) {
      throw toResponseError(error, (p) => this.#show(params.cwd, resolve(cwd, p)));
    }
  }

  verifyConfig(params: VerifyConfig.Params): VerifyConfig.Result {
    const cwd = this.#cwd(params.cwd);
    let path: string | undefined;
    try {
      path = discoverConfigFile({ cwd, configFile: params.configFile || undefined, env: this.#options.env });
      const loaded = loadConfig({ cwd, configFile: path, env: this.#options.env });
      return { path: path === undefined ? null : this.#show(params.cwd, path), ok: true, errors: [], warnings: [...loaded.warnings] };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const file = path ?? error.file;
      return {
        path: file === undefined ? null : this.#show(params.cwd, resolve(cwd, file)),
        ok: false,
        errors: error.problems.map((p) => ({ key: p.key, message: p.message, help: p.help })),
        warnings: [],
      };
    }
  }

  async listTargets(params: ListTargets.Params): Promise<ListTargets.Result> {
    const { config } = this.#load(params);
    // Cluster code is loaded on first use: an idle server stays small and starts fast.
    const [{ openCluster }, { listTargets }] = await Promise.all([import('../kube/cluster.js'), import('../kube/targets.js')]);
    const cluster = openCluster({ kubeconfig: config.kubeconfig, context: config.kube_context, acceptInvalidCertificates: config.accept_invalid_certificates, env: this.#options.env });
    const listing = await listTargets(cluster, { namespace: params.namespace || config.target.namespace || null });
    return {
      currentNamespace: listing.currentNamespace,
      namespaces: [...listing.namespaces],
      targets: listing.targets.map((t) => ({ path: t.path, kind: t.kind as TargetKind, namespace: t.namespace, available: t.available })),
    };
  }

  async startSession(params: StartSession.Params, token: CancellationToken): Promise<StartSession.Result> {
    if (this.#exiting) throw new ResponseError(LspErrorCodes.InvalidRequest, 'The mirrord server is shutting down.', undefined);
    const reporter = await this.#progressReporter(params.workDoneToken);
    reporter.begin('mirrord', 0, 'resolving config', true);
    const id = randomBytes(6).toString('hex');
    let managed: ManagedSession | undefined;
    try {
      const loaded = this.#load(params, params.target, params.namespace);
      const config = loaded.config;
      const target = config.target.path ? formatTargetPath(config.target.path) : 'targetless';
      managed = { id, target, startedAt: new Date().toISOString(), state: 'starting' };
      this.#sessions.set(id, managed);
      this.#log(`session ${id}: starting for ${params.debugType} on ${target}${loaded.path ? ` with ${loaded.path}` : ''}`);
      const [{ startSession }, { detectDebuggerPort }] = await Promise.all([import('../session/session.js'), import('../cli/ext.js')]);
      const session = await (this.#options.startSession ?? startSession)({
        config,
        progress: this.#phaseProgress(reporter, (line) => this.#log(`session ${id}: ${line}`)),
        env: this.#options.env,
        cwd: this.#cwd(params.cwd),
        extraSkip: DEBUGGER_TOOLS[params.debugType] ?? [],
        log: (line) => this.#log(`session ${id}: ${line}`),
        detectDebuggerPort: (argv) => detectDebuggerPort(DEBUGGER_PORT_DETECTION[params.debugType], argv),
        localDirs: Array.isArray(params.localPaths) ? params.localPaths.filter((p): p is string => typeof p === 'string' && isAbsolute(p) && p !== '/') : [],
      });
      managed.session = session;
      if (token.isCancellationRequested || this.#exiting || managed.ended) {
        // Stopped while it started (stopAll already ended the entry): close what came up.
        await (managed.ended ? session.close() : this.#end(managed, 'stopped'));
        throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Starting the mirrord session was cancelled.', undefined);
      }
      const remoteEnv = session.programEnv({});
      let result: StartSession.Result;
      if (GO_DEBUG_TYPES.has(params.debugType)) {
        const port = await this.#startDlv(managed, session, params);
        result = { sessionId: id, env: stripLayer(remoteEnv), launch: { debugServer: port }, target };
      } else {
        result = { sessionId: id, env: remoteEnv, target };
      }
      session.intercept.onIdle(() => {
        setTimeout(() => {
          if (session.intercept.processCount === 0 && managed?.state === 'running') void this.#end(managed, 'debuggeeExited');
        }, IDLE_GRACE_MS).unref();
      });
      session.agent.connection.onClosed((reason) => {
        if (managed?.state === 'running') {
          this.#log(`session ${id}: agent connection ended (${reason})`);
          void this.#end(managed, 'agentLost', toResponseError(new ClusterError('cluster.agent_lost', `The connection to the agent ended (${reason}).`, 'Start the debug session again; if it keeps happening, check the agent pod\'s log.')));
        }
      });
      managed.state = 'running';
      reporter.report(100, 'ready');
      reporter.done();
      this.#log(`session ${id}: ready (agent session ${session.id})`);
      return result;
    } catch (error) {
      reporter.done();
      if (managed) {
        this.#sessions.delete(id);
        if (managed.session) await this.#end(managed, 'stopped');
      }
      throw error;
    }
  }

  async stopSession(params: StopSession.Params): Promise<StopSession.Result> {
    const managed = this.#sessions.get(params?.sessionId);
    if (managed) await this.#end(managed, 'stopped');
    return {};
  }

  listSessions(): ListSessions.Result {
    return [...this.#sessions.values()].map((s) => ({ sessionId: s.id, target: s.target, state: s.state, startedAt: s.startedAt }));
  }

  /** Stops every session (the server is going). */
  async stopAll(reason: SessionEndReason): Promise<void> {
    this.#exiting = true;
    await Promise.all([...this.#sessions.values()].map((s) => this.#end(s, reason)));
  }

  /** Resolves when the requests being answered now are answered (their sessions then stop with stopAll). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  #end(managed: ManagedSession, reason: SessionEndReason, error?: ResponseError<ErrorData>): Promise<void> {
    managed.ended ??= (async () => {
      managed.state = 'stopping';
      this.#log(`session ${managed.id}: stopping (${reason})`);
      if (managed.adapter) {
        // The server launched this debugger and, through it, the debuggee: both end with the
        // session. A dlv stopped mid-debug (the debuggee paused at a breakpoint) would leave the
        // debuggee running on its own, so whatever of the session still runs is killed.
        if (managed.adapter.exitCode === null && managed.adapter.signalCode === null) {
          managed.adapter.kill('SIGTERM');
          await exitOf(managed.adapter, 2_000);
        }
        const killed = managed.session?.intercept.killProcesses() ?? [];
        if (killed.length > 0) this.#log(`session ${managed.id}: killed processes the debugger left: ${killed.join(', ')}`);
      }
      await managed.session?.close().catch((e: unknown) => this.#log(`session ${managed.id}: close failed: ${String(e)}`));
      this.#sessions.delete(managed.id);
      this.#log(`session ${managed.id}: ended`);
      if (managed.session) {
        const params: SessionEnded.Params = { sessionId: managed.id, reason, ...(error?.data ? { error: { message: error.message, ...error.data } } : {}) };
        await this.#connection.sendNotification(SessionEnded.method, params).catch(() => undefined);
      }
    })();
    return managed.ended;
  }

  async #progressReporter(token: string | number | undefined): Promise<WorkDoneProgressReporter> {
    if (token !== undefined && token !== null) return this.#connection.window.attachWorkDoneProgress(token);
    try {
      return await this.#connection.window.createWorkDoneProgress();
    } catch {
      return this.#connection.window.attachWorkDoneProgress(undefined);
    }
  }

  /** Core's steps → the protocol's phases (finding target, starting agent, connecting), as LSP progress. */
  #phaseProgress(reporter: WorkDoneProgressReporter, log: (line: string) => void): Progress {
    return progressTo((event) => {
      if (event.type === 'NewTask') {
        log(event.name);
        if (event.name.startsWith('finding ')) reporter.report(20, `finding target: ${event.name.slice('finding '.length)}`);
        else if (event.name.startsWith('starting the agent')) reporter.report(40, 'starting agent');
        else if (event.name.startsWith('connecting')) reporter.report(70, 'connecting');
        else reporter.report(85, event.name);
      } else if (event.type === 'FinishedTask') {
        log(`${event.name}: ${event.success ? 'done' : 'failed'}${event.message ? ` — ${event.message}` : ''}`);
      } else {
        log(event.type === 'Warning' ? `warning: ${event.message}` : event.message);
      }
    });
  }

  /**
   * Go: Delve under the layer's launcher, so a static debuggee (its child) inherits the filter.
   * Without `args` it is `dlv dap --listen 127.0.0.1:0` (VS Code speaks DAP); with `args` it is
   * dlv with the IDE's own arguments, e.g. GoLand's headless JSON-RPC server
   * (`--listen=127.0.0.1:0 --headless=true --api-version=2 exec <binary>`). Either way the port
   * dlv prints ("… server listening at: 127.0.0.1:<port>") is returned as `debugServer`.
   */
  async #startDlv(managed: ManagedSession, session: Session, params: StartSession.Params): Promise<number> {
    const dlv = params.executable || 'dlv';
    const dlvArgs = Array.isArray(params.args) && params.args.length > 0 ? params.args.map(String) : ['dap', '--listen', '127.0.0.1:0'];
    // The debug server drives a process with the session's cluster access: loopback only.
    const listenAt = dlvArgs.findIndex((a) => a === '--listen' || a.startsWith('--listen='));
    const listen = listenAt < 0 ? undefined : dlvArgs[listenAt]!.startsWith('--listen=') ? dlvArgs[listenAt]!.slice('--listen='.length) : dlvArgs[listenAt + 1];
    if (!listen || !/^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(listen)) {
      throw new UsageError('ide.dlv_listen', `The debugger's arguments make Delve listen on ${listen ? `"${listen}"` : 'no address'}, but it may only listen on 127.0.0.1.`, 'Pass --listen=127.0.0.1:0 (or a fixed loopback port) in the arguments; this is a bug in the IDE plugin.');
    }
    const [launcher, argv] = session.intercept.launcherArgv(dlv, dlvArgs);
    const child = spawn(launcher, argv, { cwd: this.#cwd(params.cwd), env: { ...session.programEnv(this.#options.env) }, stdio: ['ignore', 'pipe', 'pipe'] });
    managed.adapter = child;
    child.stderr?.on('data', (chunk: Buffer) => this.#log(`session ${managed.id}: dlv: ${chunk.toString().trimEnd()}`));
    const port = await new Promise<number>((resolvePort, reject) => {
      let seen = '';
      let listening = false;
      const timer = setTimeout(() => reject(new UsageError('ide.dlv_timeout', `${dlv} did not start its debug adapter within ${DLV_START_TIMEOUT_MS / 1000} s.`, 'Check that `dlv dap` runs in a terminal, and see the mirrord log.')), DLV_START_TIMEOUT_MS);
      child.stdout?.on('data', (chunk: Buffer) => {
        // After the port, dlv's stdout is the debuggee's output (headless mode passes it through):
        // it goes to the log instead of piling up here.
        if (listening) return this.#log(`session ${managed.id}: dlv: ${chunk.toString().trimEnd()}`);
        seen += chunk.toString();
        const match = /listening at:?\s*\[?[\d.:a-f]*\]?:(\d+)/i.exec(seen);
        if (match) {
          listening = true;
          seen = '';
          clearTimeout(timer);
          resolvePort(Number(match[1]));
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new UsageError('ide.no_dlv', `mirrord could not start ${dlv} (${error.message}).`, 'Install Delve (go install github.com/go-delve/delve/cmd/dlv@latest) or set go.alternateTools.dlv to its path.'));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new UsageError('ide.dlv_exited', `${dlv} exited (${signal ?? `code ${code}`}) before its debug adapter listened.`, 'See the mirrord log for its output, and check that `dlv dap` runs in a terminal.'));
      });
    });
    child.once('exit', () => {
      if (managed.state === 'running') void this.#end(managed, 'debuggeeExited');
    });
    return port;
  }
}

/** The layer's variables are for dynamic executables; dlv's child inherits the filter itself. */
function stripLayer(env: Record<string, string>): Record<string, string> {
  const { LD_PRELOAD: _preload, MIRRORD_LAYER_SOCKET: _socket, ...rest } = env;
  return rest;
}

/**
 * Runs the server until the client goes; resolves never (the process exits). The library
 * ends the process with process.exit on `exit`, on stdin's end and when the client process
 * is gone; those exits are held until every session is stopped.
 */
export function runIdeServer(options: IdeServerOptions): Promise<never> {
  // stdout is the protocol: anything a dependency prints goes to the log instead.
  for (const name of ['log', 'info', 'debug', 'warn', 'error'] as const) {
    console[name] = (...args: unknown[]) => options.log(format(...args));
  }
  // A client that died (SIGKILL of the IDE) leaves stdout and stderr with no reader: writes fail
  // with EPIPE, emitted as 'error' events that would end the process before its sessions are
  // stopped. The closed stdin is what ends the server; these errors are ignored.
  for (const stream of new Set<NodeJS.EventEmitter>([options.output, process.stdout, process.stderr])) stream.on('error', () => undefined);
  const reader = new StreamMessageReader(options.input);
  const writer = new StreamMessageWriter(options.output);
  const connection = createConnection(reader, writer);
  const server = new IdeServer(connection, options);

  const realExit = process.exit.bind(process);
  let exiting: Promise<never> | undefined;
  const exitAfterCleanup = (code: number, why: string): Promise<never> =>
    (exiting ??= (async () => {
      // Messages that arrived just before the input closed are still answered.
      await new Promise((r) => setTimeout(r, 50));
      const deadline = new Promise((r) => setTimeout(r, 60_000).unref());
      await Promise.race([server.settle(), deadline]);
      // …and their answers, which the connection writes a few ticks after the handler returns.
      await new Promise((r) => setTimeout(r, 100));
      options.log(`exiting (${why}) with ${server.sessionCount} session(s) to stop`);
      await Promise.race([server.stopAll('serverExit'), deadline]);
      await new Promise<void>((r) => options.output.write('', () => r()));
      return realExit(code);
    })());
  process.exit = ((code?: number | string | null) => {
    void exitAfterCleanup(typeof code === 'number' ? code : 0, 'exit');
  }) as typeof process.exit;
  reader.onClose(() => void exitAfterCleanup(0, 'input closed'));
  options.input.on('end', () => void exitAfterCleanup(0, 'input closed'));
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    process.on(signal, () => void exitAfterCleanup(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15), signal));
  }
  connection.listen();
  options.log(`mirrord ide-server ${VERSION} (protocol ${PROTOCOL_VERSION}) on stdio, pid ${process.pid}`);
  return new Promise<never>(() => undefined);
}

/** The CLI's `ide-server` verb. */
export async function ideServerCommand(options: { stdio?: boolean }, context: { env: Env; cwd: string }): Promise<number> {
  if (!options.stdio) throw new UsageError('cli.ide_server_transport', 'mirrord ide-server speaks only over stdio.', 'Run `mirrord ide-server --stdio` (IDE extensions start it this way).');
  return runIdeServer({ input: process.stdin, output: process.stdout, env: context.env, cwd: context.cwd, log: (line) => void process.stderr.write(`${line}\n`) });
}

/** Resolves when the child has exited, or after `timeoutMs`. */
function exitOf(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

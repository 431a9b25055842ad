/**
 * Session lifecycle in the IDE server, without a cluster: the server runs in this process on
 * in-memory streams and its session starter is replaced by one that returns a session whose
 * faults the test triggers (debuggee gone, agent gone). The server's side is real: the
 * protocol, progress, tracking, and stopping on every path.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CancellationTokenSource, createConnection, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { ClusterError } from '../errors.js';
import type { Session, SessionOptions } from '../session/session.js';
import { ListSessions, SessionEnded, StartSession, StopSession, type ErrorData } from './protocol.js';
import { IdeServer } from './server.js';

interface FakeSession {
  readonly session: Session;
  closes: number;
  processes: number;
  killCalls: number;
  idle(): void;
  agentGone(reason: string): void;
}

function fakeSession(launcher?: (command: string, args: readonly string[]) => [string, string[]]): FakeSession {
  const idleListeners: (() => void)[] = [];
  const closedListeners: ((reason: string) => void)[] = [];
  const fake: FakeSession = {
    closes: 0,
    processes: 0,
    killCalls: 0,
    idle: () => idleListeners.forEach((l) => l()),
    agentGone: (reason) => closedListeners.forEach((l) => l(reason)),
    session: {
      id: 'agent-session',
      agent: { connection: { onClosed: (l: (reason: string) => void) => closedListeners.push(l) } },
      intercept: {
        onIdle: (l: () => void) => idleListeners.push(l),
        get processCount() {
          return fake.processes;
        },
        launcherArgv: (command: string, args: readonly string[]) => (launcher ? launcher(command, args) : [command, [...args]]),
        killProcesses: () => {
          fake.killCalls++;
          return [];
        },
      },
      envPlan: { set: {}, unset: [] },
      programEnv: (base: Record<string, string | undefined>) => ({ ...(base as Record<string, string>), LD_PRELOAD: '/layer/libmirrord_layer.so', MIRRORD_LAYER_SOCKET: '/tmp/layer.sock', FROM_POD: 'yes' }),
      close: async () => {
        fake.closes++;
      },
    } as unknown as Session,
  };
  return fake;
}

describe('ide-server session lifecycle (in-process, sessions with injected faults)', function () {
  this.timeout(30_000);
  let client: MessageConnection;
  let server: IdeServer;
  let workspace: string;
  let starter: (options: SessionOptions) => Promise<Session>;
  const ended: SessionEnded.Params[] = [];
  const progress: { token: unknown; value: { kind: string; message?: string } }[] = [];
  const log: string[] = [];

  beforeEach(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'mirrord-ide-lifecycle-'));
    ended.length = 0;
    progress.length = 0;
    log.length = 0;
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    server = new IdeServer(connection, { input: toServer, output: toClient, env: {}, cwd: workspace, log: (line) => log.push(line), startSession: (options) => starter(options) });
    connection.listen();
    client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification(SessionEnded.method, (params: SessionEnded.Params) => {
      ended.push(params);
    });
    client.onNotification('$/progress', (params: { token: unknown; value: { kind: string; message?: string } }) => {
      progress.push(params);
    });
    client.listen();
    await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { protocolVersion: 1 } });
    client.sendNotification('initialized', {});
  });

  afterEach(async () => {
    await server.stopAll('serverExit');
    client.dispose();
    rmSync(workspace, { recursive: true, force: true });
  });

  async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; log: ${log.join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('startSession: env, progress phases on the client\'s token, listed as running; stopSession stops it once and says so', async () => {
    const fake = fakeSession();
    let localDirs: readonly string[] | undefined;
    starter = async (options) => {
      localDirs = options.localDirs;
      options.progress.step('finding deployment/echo').done();
      options.progress.step('starting the agent (job)').done();
      options.progress.step('connecting to the agent').done();
      return fake.session;
    };
    const result = await client.sendRequest<StartSession.Result>(StartSession.method, {
      cwd: workspace,
      debugType: 'node',
      target: 'deployment/echo',
      workDoneToken: 'tok-1',
      // The IDE's folders stay local (js-debug's bootloader); relative paths and "/" are ignored.
      localPaths: ['/opt/ide/app', 'relative/dir', '/', '/home/u/.vscode/extensions'],
    } satisfies StartSession.Params);
    assert.deepEqual(localDirs, ['/opt/ide/app', '/home/u/.vscode/extensions']);
    assert.equal(result.target, 'deployment/echo');
    assert.equal(result.env.FROM_POD, 'yes');
    assert.equal(result.env.LD_PRELOAD, '/layer/libmirrord_layer.so');
    assert.equal(result.launch, undefined);
    await until(() => progress.some((p) => p.value.kind === 'end'), 'the end of progress');
    assert.ok(progress.every((p) => p.token === 'tok-1'));
    assert.deepEqual(
      progress.map((p) => p.value.message),
      ['resolving config', 'finding target: deployment/echo', 'starting agent', 'connecting', 'ready', undefined],
    );
    const sessions = await client.sendRequest<ListSessions.Result>(ListSessions.method, {});
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]!.sessionId, result.sessionId);
    assert.equal(sessions[0]!.target, 'deployment/echo');
    assert.equal(sessions[0]!.state, 'running');
    assert.ok(!Number.isNaN(Date.parse(sessions[0]!.startedAt)));

    assert.deepEqual(await client.sendRequest(StopSession.method, { sessionId: result.sessionId } satisfies StopSession.Params), {});
    assert.equal(fake.closes, 1);
    await until(() => ended.length === 1, 'sessionEnded');
    assert.deepEqual(ended[0], { sessionId: result.sessionId, reason: 'stopped' });
    assert.deepEqual(await client.sendRequest(ListSessions.method, {}), []);
    await client.sendRequest(StopSession.method, { sessionId: result.sessionId });
    assert.equal(fake.closes, 1, 'stopping twice closes once');
  });

  it('the debuggee exiting (every process gone, after a grace) ends the session', async () => {
    const fake = fakeSession();
    starter = async () => fake.session;
    const { sessionId } = await client.sendRequest<StartSession.Result>(StartSession.method, { cwd: workspace, debugType: 'node' });
    fake.processes = 1;
    fake.idle();
    fake.processes = 1; // a re-exec attached again within the grace: the session stays
    await new Promise((r) => setTimeout(r, 1800));
    assert.equal(fake.closes, 0);
    fake.processes = 0;
    fake.idle();
    await until(() => ended.length === 1, 'sessionEnded');
    assert.deepEqual(ended[0], { sessionId, reason: 'debuggeeExited' });
    assert.equal(fake.closes, 1);
  });

  it('the agent connection ending ends the session with a cluster error', async () => {
    const fake = fakeSession();
    starter = async () => fake.session;
    const { sessionId } = await client.sendRequest<StartSession.Result>(StartSession.method, { cwd: workspace, debugType: 'python' });
    fake.agentGone('port-forward closed');
    await until(() => ended.length === 1, 'sessionEnded');
    assert.equal(ended[0]!.sessionId, sessionId);
    assert.equal(ended[0]!.reason, 'agentLost');
    assert.equal(ended[0]!.error?.kind, 'cluster');
    assert.match(ended[0]!.error!.message, /port-forward closed/);
    assert.equal(fake.closes, 1);
  });

  it('the server going (what shutdown, stdin end, exit and signals call) stops every session', async () => {
    const fakes = [fakeSession(), fakeSession()];
    let next = 0;
    starter = async () => fakes[next++]!.session;
    await client.sendRequest(StartSession.method, { cwd: workspace, debugType: 'node' });
    await client.sendRequest(StartSession.method, { cwd: workspace, debugType: 'node' });
    await server.stopAll('serverExit');
    assert.deepEqual(fakes.map((f) => f.closes), [1, 1]);
    await until(() => ended.length === 2, 'two sessionEnded');
    assert.ok(ended.every((e) => e.reason === 'serverExit'));
    const refused = await client.sendRequest(StartSession.method, { cwd: workspace, debugType: 'node' }).catch((e: unknown) => e);
    assert.ok(refused instanceof Error, 'no new session while exiting');
  });

  it('a start cancelled by the client is stopped as soon as it is up, and answered as cancelled', async () => {
    const fake = fakeSession();
    let release!: () => void;
    starter = () => new Promise((resolve) => (release = () => resolve(fake.session)));
    const source = new CancellationTokenSource();
    const pending = client.sendRequest(StartSession.method, { cwd: workspace, debugType: 'node' }, source.token).catch((e: unknown) => e);
    await until(() => release !== undefined, 'the start');
    source.cancel();
    await new Promise((r) => setTimeout(r, 100));
    release();
    const answer = (await pending) as { code?: number };
    assert.equal(answer.code, -32800);
    await until(() => fake.closes === 1, 'the cancelled session to close');
    assert.deepEqual(await client.sendRequest(ListSessions.method, {}), []);
  });

  it('a session still starting when the server goes is closed as soon as it is up', async () => {
    const fake = fakeSession();
    let release!: () => void;
    starter = () => new Promise((resolve) => (release = () => resolve(fake.session)));
    const pending = client.sendRequest(StartSession.method, { cwd: workspace, debugType: 'node' }).catch((e: unknown) => e);
    await until(() => release !== undefined, 'the start');
    assert.equal((await client.sendRequest<ListSessions.Result>(ListSessions.method, {}))[0]?.state, 'starting');
    await server.stopAll('serverExit');
    release();
    assert.equal(((await pending) as { code?: number }).code, -32800);
    assert.equal(fake.closes, 1);
  });

  it('a failing start is the protocol\'s error and leaves nothing listed', async () => {
    starter = async () => {
      throw new ClusterError('cluster.target_not_found', 'deployment/nope was not found in namespace default.', 'Run `mirrord ls`.');
    };
    const error = (await client.sendRequest(StartSession.method, { cwd: workspace, debugType: 'node', target: 'deployment/nope' }).catch((e: unknown) => e)) as { code: number; message: string; data: ErrorData };
    assert.equal(error.code, 1002);
    assert.equal(error.data.kind, 'cluster');
    assert.equal(error.message, 'deployment/nope was not found in namespace default.');
    assert.deepEqual(await client.sendRequest(ListSessions.method, {}), []);
  });

  it('go: the server runs the debug adapter under the launcher and returns debugServer; the adapter exiting ends the session', async () => {
    const fake = fakeSession((command, args) => [process.execPath, ['-e', `console.log('fake ' + ${JSON.stringify([command, ...args].join(' '))}); console.log('DAP server listening at: 127.0.0.1:45999'); setTimeout(() => {}, 1500);`]]);
    starter = async () => fake.session;
    const result = await client.sendRequest<StartSession.Result>(StartSession.method, { cwd: workspace, debugType: 'go', executable: '/opt/dlv' });
    assert.equal(result.launch?.debugServer, 45999);
    assert.equal(result.env.FROM_POD, 'yes');
    assert.equal(result.env.LD_PRELOAD, undefined, 'the adapter\'s child inherits the filter; LD_PRELOAD is not handed out');
    await until(() => ended.length === 1, 'the adapter to exit', 10_000);
    assert.deepEqual(ended[0], { sessionId: result.sessionId, reason: 'debuggeeExited' });
  });

  it('go with args (GoLand): dlv runs with the IDE\'s arguments under the launcher and its JSON-RPC port is returned', async () => {
    const seen: string[][] = [];
    const fake = fakeSession((command, args) => {
      seen.push([command, ...args]);
      return [process.execPath, ['-e', `console.log('API server listening at: 127.0.0.1:45998'); setTimeout(() => console.log('debuggee output'), 200); setTimeout(() => {}, 60000);`]];
    });
    starter = async () => fake.session;
    const args = ['--listen=127.0.0.1:0', '--headless=true', '--api-version=2', 'exec', '/ws/app', '--', 'serve'];
    const result = await client.sendRequest<StartSession.Result>(StartSession.method, { cwd: workspace, debugType: 'go', executable: '/opt/dlv', args });
    assert.deepEqual(seen, [['/opt/dlv', ...args]]);
    assert.equal(result.launch?.debugServer, 45998);
    assert.equal(result.env.LD_PRELOAD, undefined);
    // What dlv prints after its port (headless: the debuggee's output) goes to the server's log.
    await until(() => log.some((line) => line.endsWith('dlv: debuggee output')), 'the debuggee output in the log', 10_000);
    await client.sendRequest(StopSession.method, { sessionId: result.sessionId });
    assert.equal(fake.closes, 1);
    assert.equal(fake.killCalls, 1, 'what the server launched through dlv ends with the session');
  });

  it('go with args that would make dlv listen beyond loopback is refused with a sentence, and nothing is left', async () => {
    const started: string[][] = [];
    const fake = fakeSession((command, args) => {
      started.push([command, ...args]);
      return [process.execPath, ['-e', 'setTimeout(() => {}, 60000)']];
    });
    starter = async () => fake.session;
    for (const args of [['--listen=0.0.0.0:2345', '--headless=true', 'exec', '/ws/app'], ['--headless=true', 'exec', '/ws/app']]) {
      const error = (await client.sendRequest(StartSession.method, { cwd: workspace, debugType: 'go', executable: '/opt/dlv', args }).catch((e: unknown) => e)) as { code: number; message: string; data: ErrorData };
      assert.equal(error.data.kind, 'config', JSON.stringify(error));
      assert.match(error.message, /may only listen on 127\.0\.0\.1/);
    }
    assert.deepEqual(started, [], 'dlv was not started');
    assert.equal(fake.closes, 2, 'each refused start closed its session');
    assert.deepEqual(await client.sendRequest(ListSessions.method, {}), []);
  });

  it('go with the real Delve: `dlv dap --listen 127.0.0.1:0` is started and its port returned', async function () {
    const dlv = ['/var/cache/mirrord-ts/dlv-1.27.2/dlv', join(process.env.HOME ?? '', 'go/bin/dlv')].find((p) => existsSync(p)) ?? whichDlv();
    if (!dlv) this.skip();
    const fake = fakeSession();
    starter = async () => fake.session;
    const result = await client.sendRequest<StartSession.Result>(StartSession.method, { cwd: workspace, debugType: 'go', executable: dlv });
    const port = result.launch?.debugServer;
    assert.ok(port && port > 0);
    const { connect } = await import('node:net');
    await new Promise<void>((resolve, reject) => connect(port, '127.0.0.1').once('connect', function (this: import('node:net').Socket) {
      this.destroy();
      resolve();
    }).once('error', reject));
    await client.sendRequest(StopSession.method, { sessionId: result.sessionId });
    assert.equal(fake.closes, 1);
  });
});

function whichDlv(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v dlv'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

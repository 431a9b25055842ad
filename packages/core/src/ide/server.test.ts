/**
 * The IDE server as an IDE sees it: the real server process from source, spoken to over
 * stdio with LSP framing. No cluster: KUBECONFIG points at nothing, so anything that would
 * reach a cluster fails with a cluster error instead of creating something.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema, ErrorCodes, ListSessions, PROTOCOL_VERSION, StartSession, StopSession, VerifyConfig, type ErrorData } from './protocol.js';
import { ServerProcess, type JsonRpcMessage } from './test-support.js';

const NO_CLUSTER = { KUBECONFIG: '/nonexistent/mirrord-ide-test/kubeconfig' };

describe('ide-server (stdio, real process)', function () {
  this.timeout(30_000);
  let workspace: string;
  const servers: ServerProcess[] = [];

  function server(): ServerProcess {
    const s = new ServerProcess({ cwd: workspace, env: NO_CLUSTER });
    servers.push(s);
    return s;
  }

  function writeConfig(text: string, name = 'mirrord.json'): string {
    mkdirSync(join(workspace, '.mirrord'), { recursive: true });
    const path = join(workspace, '.mirrord', name);
    writeFileSync(path, text);
    return path;
  }

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'mirrord-ide-test-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill()));
    rmSync(workspace, { recursive: true, force: true });
  });

  it('initializes with the matching protocol version and names itself', async () => {
    const s = server();
    const response = await s.initialize(PROTOCOL_VERSION);
    assert.equal(response.error, undefined);
    const result = response.result as { capabilities: { experimental: { mirrord: { protocolVersion: number } } }; serverInfo: { name: string; version: string } };
    assert.equal(result.capabilities.experimental.mirrord.protocolVersion, PROTOCOL_VERSION);
    assert.equal(result.serverInfo.name, 'mirrord');
  });

  it('refuses a mismatched protocol version with one sentence naming both versions', async () => {
    const s = server();
    const response = await s.initialize(PROTOCOL_VERSION + 41);
    assert.ok(response.error, 'initialize must fail');
    assert.equal(response.error.code, ErrorCodes.protocolVersionMismatch);
    assert.match(response.error.message, new RegExp(`version ${PROTOCOL_VERSION + 41}\\b`));
    assert.match(response.error.message, new RegExp(`version ${PROTOCOL_VERSION}\\.$`));
    assert.equal(response.error.message.split('. ').length, 1, 'one sentence');
    assert.ok((response.error.data as ErrorData).help.length > 0);
    // …and the mirrord methods stay closed.
    const after = await s.request(ListSessions.method, {});
    assert.ok(after.error);
  });

  it('refuses an initialize without a protocol version', async () => {
    const s = server();
    const response = await s.request('initialize', { processId: null, rootUri: null, capabilities: {} });
    assert.equal(response.error?.code, ErrorCodes.protocolVersionMismatch);
    assert.match(response.error.message, /no version/);
  });

  it('verifyConfig: a good file is ok and named by its path', async () => {
    const path = writeConfig('{ "target": "deployment/api", "feature": { "network": { "incoming": "steal" } } }');
    const s = server();
    await s.initialize();
    const absolute = (await s.request(VerifyConfig.method, { cwd: workspace })).result as VerifyConfig.Result;
    assert.deepEqual(absolute, { path, ok: true, errors: [], warnings: [] });
    const relative = (await s.request(VerifyConfig.method, { cwd: '.' })).result as VerifyConfig.Result;
    assert.equal(relative.path, '.mirrord/mirrord.json');
  });

  it('verifyConfig: a bad key is named in errors[].key with a message and help', async () => {
    const path = writeConfig('{\n  "feature": { "network": { "incoming": { "moode": "steal" } } }\n}\n');
    const s = server();
    await s.initialize();
    const result = (await s.request(VerifyConfig.method, { cwd: workspace })).result as VerifyConfig.Result;
    assert.equal(result.ok, false);
    assert.equal(result.path, path);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]!.key, 'feature.network.incoming.moode');
    assert.match(result.errors[0]!.message, /did you mean `feature\.network\.incoming\.mode`/);
    assert.ok(result.errors[0]!.help.length > 0);
  });

  it('verifyConfig: a configFile that does not exist is a verdict, not a crash', async () => {
    const s = server();
    await s.initialize();
    const result = (await s.request(VerifyConfig.method, { cwd: workspace, configFile: 'nope.json' })).result as VerifyConfig.Result;
    assert.equal(result.ok, false);
    assert.match(result.errors[0]!.message, /does not exist/);
  });

  it('configSchema returns the shipped JSON Schema', async () => {
    const s = server();
    await s.initialize();
    const response = await s.request(ConfigSchema.method, {});
    const shipped = JSON.parse(readFileSync(new URL('../../schema/mirrord.schema.json', import.meta.url), 'utf8')) as unknown;
    assert.deepEqual(response.result, shipped);
  });

  it('startSession with a config error answers data.kind "config" with the key, and starts nothing', async () => {
    writeConfig('{ "feature": { "network": { "incoming": { "mode": "stael" } } } }');
    const s = server();
    await s.initialize();
    const response = await s.request(StartSession.method, { cwd: workspace, debugType: 'node' });
    assert.ok(response.error);
    assert.equal(response.error.code, ErrorCodes.config);
    const data = response.error.data as ErrorData;
    assert.equal(data.kind, 'config');
    assert.equal(data.key, 'feature.network.incoming.mode');
    assert.match(response.error.message, /stael/);
    assert.ok(data.help.length > 0);
    assert.deepEqual((await s.request(ListSessions.method, {})).result, []);
    assert.doesNotMatch(s.stderr, /session \w+: starting/);
  });

  it('startSession reports work-done progress from "resolving config" and ends it on failure', async () => {
    writeConfig('{ "target": "targetless" }');
    const s = server();
    await s.initialize(PROTOCOL_VERSION, { window: { workDoneProgress: true } });
    const id = 77;
    s.send({ id, method: StartSession.method, params: { cwd: workspace, debugType: 'node' } });
    const seen: JsonRpcMessage[] = [];
    let response: JsonRpcMessage | undefined;
    while (!response) {
      const { message } = await s.readMessage();
      if (message.method === 'window/workDoneProgress/create') s.send({ id: message.id!, result: null });
      else if (message.id === id) response = message;
      else seen.push(message);
    }
    const progress = seen.filter((m) => m.method === '$/progress').map((m) => (m.params as { value: { kind: string; message?: string } }).value);
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress[0]?.message, 'resolving config');
    assert.equal(progress.at(-1)?.kind, 'end');
    // No kubeconfig here: the session fails as a cluster error, after the config was read.
    assert.equal((response.error?.data as ErrorData).kind, 'cluster');
    assert.match(response.error!.message, /KUBECONFIG/);
  });

  it('a request without params or cwd is a one-sentence config error, not a crash', async () => {
    const s = server();
    await s.initialize();
    for (const method of [VerifyConfig.method, StartSession.method]) {
      const response = await s.request(method, undefined);
      assert.equal((response.error?.data as ErrorData).kind, 'config', method);
      assert.match(response.error!.message, /no "cwd"/);
    }
  });

  it('stopSession of an unknown session is a no-op', async () => {
    const s = server();
    await s.initialize();
    assert.deepEqual((await s.request(StopSession.method, { sessionId: 'nope' })).result, {});
  });

  it('answers a mirrord method before initialize with an error', async () => {
    const s = server();
    const response = await s.request(ListSessions.method, {});
    assert.ok(response.error);
  });

  it('exits when its stdin closes', async () => {
    const s = server();
    await s.initialize();
    const started = Date.now();
    s.child.stdin.end();
    const { code } = await s.exited;
    assert.equal(code, 0);
    assert.ok(Date.now() - started < 5000);
    assert.match(s.stderr, /exiting \(input closed\)/);
  });

  it('exits cleanly (code 0) when its client dies: stdin closed and nobody reading stdout or stderr (EPIPE)', async () => {
    const s = server();
    await s.initialize();
    // What a SIGKILLed IDE leaves: every pipe's other end closed at once.
    s.child.stdout.destroy();
    s.child.stderr.destroy();
    s.child.stdin.destroy();
    const { code } = await s.exited;
    assert.equal(code, 0, 'the cleanup path ran to its end instead of dying on a write error');
  });

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`exits on ${signal} after stopping its sessions`, async () => {
      const s = server();
      await s.initialize();
      s.child.kill(signal);
      const exit = await s.exited;
      assert.equal(exit.code, code);
      assert.match(s.stderr, new RegExp(`exiting \\(${signal}\\) with 0 session`));
    });
  }

  it('is the CLI\'s `mirrord ide-server --stdio` too', async () => {
    const s = new ServerProcess({ cwd: workspace, env: NO_CLUSTER, viaCli: true });
    servers.push(s);
    const response = await s.initialize();
    assert.equal((response.result as { serverInfo: { name: string } }).serverInfo.name, 'mirrord');
    s.child.stdin.end();
    assert.equal((await s.exited).code, 0);
  });

  it('shutdown then exit ends with code 0', async () => {
    const s = server();
    await s.initialize();
    assert.equal((await s.request('shutdown', null)).result, null);
    s.notify('exit', null);
    assert.equal((await s.exited).code, 0);
  });
});

/**
 * The interception layer end to end on this machine: real programs (curl, Python, Node,
 * static Go) reach a service that only the fake cluster's namespace can reach, by its
 * cluster name, through the real agent.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentConnection } from '@mirrord-ts/agent-client';
import { configType } from '../src/config/definition.js';
import { valueOf } from '../src/config/dsl.js';
import { InterceptSession } from '../src/session/intercept.js';
import { FakeCluster, SERVICE_NAME } from './fake-cluster.js';

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 20_000, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('interception layer against a fake cluster', function () {
  this.timeout(120_000);
  let cluster: FakeCluster;
  let agent: AgentConnection;
  let session: InterceptSession;
  let dir: string;
  let goProgram: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mirrord-intercept-'));
    goProgram = join(dir, 'get');
    execFileSync('go', ['build', '-o', goProgram, fileURLToPath(new URL('./programs/get.go', import.meta.url))], { env: { ...process.env, CGO_ENABLED: '0' } });
    cluster = await FakeCluster.start(1);
    agent = await AgentConnection.connect(cluster.agentAddress);
    session = await InterceptSession.start({ config: valueOf(configType, {}), agent, socketPath: join(dir, 'layer.sock') });
  });

  after(async () => {
    await session?.close();
    agent?.close();
    cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const url = `http://${SERVICE_NAME}/hello`;

  it('curl', async () => {
    const result = await run('curl', ['-sS', '--max-time', '10', url], { ...process.env, ...session.env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).from, 'fake-service');
  });

  it('python3 (glibc getaddrinfo, urllib)', async () => {
    const result = await run('python3', ['-c', `import urllib.request;print(urllib.request.urlopen("${url}", timeout=10).read().decode())`], { ...process.env, ...session.env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).from, 'fake-service');
  });

  it('node (http.get)', async () => {
    const script = `require('http').get('${url}', (r) => { let b=''; r.on('data', (d) => b += d); r.on('end', () => console.log(b)); }).on('error', (e) => { console.error(e.message); process.exit(1); })`;
    const result = await run(process.execPath, ['-e', script], { ...process.env, ...session.env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).from, 'fake-service');
  });

  it('static Go through the launcher (Go resolver, raw syscalls)', async () => {
    const [launcher, argv] = session.launcherArgv(goProgram, [url]);
    const result = await run(launcher, argv, { ...process.env, ...session.env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).from, 'fake-service');
  });

  it('without the layer the service is unreachable (the test proves the redirect)', async () => {
    const result = await run('curl', ['-sS', '--max-time', '3', `http://${cluster.serviceIp}/hello`], process.env);
    assert.notEqual(result.code, 0);
  });
});

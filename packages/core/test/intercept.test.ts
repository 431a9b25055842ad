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
import { FakeCluster, POD_ONLY_FILE, POD_ONLY_FILE_CONTENT, SERVICE_NAME, SERVICE_ONLY_VAR } from './fake-cluster.js';
import { applyEnvPlan, planEnv } from '../src/session/remote-env.js';

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

  it('reads a file that only the pod has (cat; python stat, exists and open)', async () => {
    const env = { ...process.env, ...session.env() };
    const cat = await run('cat', [POD_ONLY_FILE], env);
    assert.equal(cat.stdout, POD_ONLY_FILE_CONTENT, cat.stderr);
    const py = await run('python3', ['-c', `import os;print(os.path.exists("${POD_ONLY_FILE}"), os.path.getsize("${POD_ONLY_FILE}"), open("${POD_ONLY_FILE}").read(), end="")`], env);
    assert.equal(py.stdout, `True ${POD_ONLY_FILE_CONTENT.length} ${POD_ONLY_FILE_CONTENT}`, py.stderr);
    const local = await run('cat', [POD_ONLY_FILE], process.env);
    assert.notEqual(local.code, 0, 'the file must not exist locally');
  });

  it("takes the target process's environment", async () => {
    const plan = planEnv(await agent.getEnv(), valueOf(configType, {}).feature.env, process.env, '/');
    const result = await run('sh', ['-c', `echo $${SERVICE_ONLY_VAR}`], { ...applyEnvPlan(process.env, plan), ...session.env() });
    assert.equal(result.stdout.trim(), 'from-the-fake-pod');
  });

  it('without the layer the service is unreachable (the test proves the redirect)', async () => {
    const result = await run('curl', ['-sS', '--max-time', '3', `http://${cluster.serviceIp}/hello`], process.env);
    assert.notEqual(result.code, 0);
  });
});

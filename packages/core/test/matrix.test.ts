/**
 * The layer's program matrix on this machine (issue 5, acceptance 1): static Go (launcher),
 * Go with cgo, Python 3, Node and Java 17 — the same probe programs the real-cluster suite
 * runs (e2e/programs) — against the fake cluster with the real agent: (a) a GET to the
 * service by its cluster name, (b) stolen requests with the filter header reach the
 * program's server while the rest reach the pod, (c) the target's env var, (d) a file only
 * the pod has, (e) mirrored copies while the pod keeps answering.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentConnection } from '@mirrord-ts/agent-client';
import { configType } from '../src/config/definition.js';
import { valueOf } from '../src/config/dsl.js';
import { InterceptSession } from '../src/session/intercept.js';
import { applyEnvPlan, planEnv } from '../src/session/remote-env.js';
import { APP_PORT, FakeCluster, POD_ONLY_FILE, POD_ONLY_FILE_CONTENT, SERVICE_NAME, SERVICE_ONLY_VAR } from './fake-cluster.js';

const probes = fileURLToPath(new URL('../../../e2e/programs/', import.meta.url));

interface Program {
  readonly name: string;
  argv(mode: string, arg: string): string[];
  /** Static programs ignore LD_PRELOAD: they run under the launcher. */
  readonly launcher: boolean;
}

function run(session: InterceptSession, program: Program, mode: string, arg: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, ...args] = program.argv(mode, arg);
  const [file, argv] = program.launcher ? session.launcherArgv(command!, args) : [command!, args];
  return new Promise((resolve) =>
    execFile(file, argv, { env: { ...env, ...session.env() }, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? 1 : 0, stdout, stderr }),
    ),
  );
}

function get(host: string, port: number, path: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, headers, agent: false, timeout: 15_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
  });
}

async function serve(session: InterceptSession, program: Program, env: NodeJS.ProcessEnv) {
  const [command, ...args] = program.argv('serve', String(APP_PORT));
  const [file, argv] = program.launcher ? session.launcherArgv(command!, args) : [command!, args];
  const child = spawn(file, argv, { env: { ...env, ...session.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('serving')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${program.name} did not start serving: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // listen() reached the session, which subscribes at the agent right after.
  await new Promise((r) => setTimeout(r, 700));
  return { output: () => output, stop: () => child.kill('SIGKILL') };
}

describe('layer program matrix against a fake cluster', function () {
  this.timeout(180_000);
  let cluster: FakeCluster;
  let agent: AgentConnection;
  let dir: string;
  let remoteEnv: Record<string, string>;
  const programs: Program[] = [];

  before(async function () {
    this.timeout(300_000);
    dir = mkdtempSync(join(tmpdir(), 'mirrord-matrix-'));
    const staticGo = join(dir, 'probe-static');
    const cgoGo = join(dir, 'probe-cgo');
    execFileSync('go', ['build', '-o', staticGo, join(probes, 'probe.go')], { env: { ...process.env, CGO_ENABLED: '0' } });
    execFileSync('go', ['build', '-o', cgoGo, join(probes, 'probe.go')], { env: { ...process.env, CGO_ENABLED: '1' } });
    programs.push(
      { name: 'static Go', argv: (m, a) => [staticGo, m, a], launcher: true },
      { name: 'Go with cgo', argv: (m, a) => [cgoGo, m, a], launcher: false },
      { name: 'Python 3', argv: (m, a) => ['python3', join(probes, 'probe.py'), m, a], launcher: false },
      { name: 'Node', argv: (m, a) => [process.execPath, join(probes, 'probe.mjs'), m, a], launcher: false },
      { name: 'Java 17', argv: (m, a) => ['java', join(probes, 'Probe.java'), m, a], launcher: false },
    );
    cluster = await FakeCluster.start(3);
    agent = await AgentConnection.connect(cluster.agentAddress);
    remoteEnv = await agent.getEnv();
  });

  after(() => {
    agent?.close();
    cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withSession(incoming: unknown, test: (session: InterceptSession, env: NodeJS.ProcessEnv) => Promise<void>): Promise<void> {
    const config = valueOf(configType, { feature: { network: { incoming } } });
    const session = await InterceptSession.start({ config, agent, socketPath: join(dir, `layer-${Date.now()}.sock`), localDirs: [probes, dir] });
    try {
      await test(session, applyEnvPlan(process.env, planEnv(remoteEnv, config.feature.env, process.env, '/')));
    } finally {
      await session.close();
    }
  }

  for (const [index, name] of ['static Go', 'Go with cgo', 'Python 3', 'Node', 'Java 17'].entries()) {
    describe(name, () => {
      const program = () => programs[index]!;

      it('(a) GET by cluster name, (c) env, (d) file', async () => {
        await withSession('mirror', async (session, env) => {
          const got = await run(session, program(), 'get', `http://${SERVICE_NAME}/matrix`, env);
          assert.equal(JSON.parse(got.stdout).from, 'fake-service', got.stderr);
          const read = await run(session, program(), 'env', SERVICE_ONLY_VAR, env);
          assert.equal(read.stdout, 'from-the-fake-pod', read.stderr);
          const file = await run(session, program(), 'read', POD_ONLY_FILE, env);
          assert.equal(file.stdout, POD_ONLY_FILE_CONTENT, file.stderr);
        });
      });

      it('(b) steal with a header filter', async () => {
        await withSession({ mode: 'steal', http_filter: { header_filter: '^x-mirrord: yes$' } }, async (session, env) => {
          const server = await serve(session, program(), env);
          try {
            const stolen = JSON.parse(await get(cluster.podIp, APP_PORT, '/stolen', { 'x-mirrord': 'yes' })) as { from: string; peer: string };
            assert.match(stolen.from, /^local-/);
            assert.ok(stolen.peer.includes(cluster.hostIp), `peer ${stolen.peer}`);
            assert.equal(JSON.parse(await get(cluster.podIp, APP_PORT, '/not-stolen')).from, 'fake-service');
          } finally {
            server.stop();
          }
        });
      });

      it('(e) mirror', async () => {
        await withSession('mirror', async (session, env) => {
          const server = await serve(session, program(), env);
          try {
            for (const i of [1, 2, 3]) assert.equal(JSON.parse(await get(cluster.podIp, APP_PORT, `/m${i}`)).from, 'fake-service');
            const deadline = Date.now() + 10_000;
            while ((server.output().match(/got \/m\d/g) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
            assert.equal((server.output().match(/got \/m\d/g) ?? []).length, 3, server.output());
          } finally {
            server.stop();
          }
        });
      });
    });
  }
});

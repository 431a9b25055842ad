/**
 * Incoming traffic end to end on this machine: a local Python server under the layer gets
 * the requests the agent steals (with and without an HTTP filter) or mirrors from the fake
 * cluster's pod, sees the remote client as its peer, and the pod keeps answering the rest.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentConnection } from '@mirrord-ts/agent-client';
import { configType } from '../src/config/definition.js';
import { valueOf } from '../src/config/dsl.js';
import { InterceptSession } from '../src/session/intercept.js';
import { APP_PORT, FakeCluster } from './fake-cluster.js';

const serverScript = fileURLToPath(new URL('./programs/server.py', import.meta.url));

function get(host: string, port: number, headers: Record<string, string> = {}): Promise<{ from: string; peer?: string; remote?: string }> {
  return new Promise((resolve, reject) => {
    // A connection per request, so every request is a connection of its own for the agent too.
    const req = request({ host, port, path: '/x', headers, timeout: 10_000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error(`not JSON: ${body}`));
        }
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
  });
}

async function startServer(session: InterceptSession, port: number, hosts: string[] = []): Promise<{ child: ChildProcess; output: () => string }> {
  const [launcher, argv] = session.launcherArgv('python3', [serverScript, String(port), ...hosts]);
  const child = spawn(launcher, argv, { env: { ...process.env, ...session.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 15_000;
  while (!output.includes('serving')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // The agent subscribes after listen(); give the subscription a moment.
  await new Promise((r) => setTimeout(r, 500));
  return { child, output: () => output };
}

describe('incoming traffic against a fake cluster', function () {
  this.timeout(120_000);
  let cluster: FakeCluster;
  let agent: AgentConnection;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mirrord-incoming-'));
    cluster = await FakeCluster.start(2);
    agent = await AgentConnection.connect(cluster.agentAddress);
  });
  after(() => {
    agent?.close();
    cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withSession(incoming: unknown, test: (session: InterceptSession, log: string[]) => Promise<void>): Promise<void> {
    const config = valueOf(configType, { feature: { network: { incoming } } });
    const log: string[] = [];
    const session = await InterceptSession.start({ config, agent, socketPath: join(dir, `layer-${Date.now()}.sock`), log: (line) => log.push(line) });
    try {
      await test(session, log);
    } finally {
      await session.close();
    }
  }

  it('steal with a header filter: matching requests reach the local server (peer = remote client), others the pod', async () => {
    await withSession({ mode: 'steal', http_filter: { header_filter: '^x-mirrord: yes$' } }, async (session) => {
      const server = await startServer(session, APP_PORT);
      try {
        const stolen = await get(cluster.podIp, APP_PORT, { 'x-mirrord': 'yes' });
        assert.equal(stolen.from, 'local');
        assert.equal(stolen.peer, cluster.hostIp);
        const passed = await get(cluster.podIp, APP_PORT);
        assert.equal(passed.from, 'fake-service');
      } finally {
        server.child.kill('SIGKILL');
      }
    });
    // After the session the pod answers everything again.
    assert.equal((await get(cluster.podIp, APP_PORT, { 'x-mirrord': 'yes' })).from, 'fake-service');
  });

  it('steal without a filter: every connection reaches the local server', async () => {
    await withSession('steal', async (session) => {
      const server = await startServer(session, APP_PORT);
      try {
        const stolen = await get(cluster.podIp, APP_PORT);
        assert.equal(stolen.from, 'local');
        assert.equal(stolen.peer, cluster.hostIp);
      } finally {
        server.child.kill('SIGKILL');
      }
    });
  });

  it('a program listening twice on the port (two addresses) gets the stolen traffic on its first listener, no error for the second', async () => {
    await withSession('steal', async (session, log) => {
      const server = await startServer(session, APP_PORT, ['127.0.0.1', '127.0.0.2']);
      try {
        assert.equal((await get(cluster.podIp, APP_PORT)).from, 'local');
        assert.equal(log.filter((l) => l.startsWith(`stealing remote port ${APP_PORT} `)).length, 1, log.join('\n'));
        assert.ok(log.some((l) => l.startsWith(`remote port ${APP_PORT} already goes to 127.0.0.1:`)), log.join('\n'));
        assert.ok(!log.some((l) => l.startsWith('could not')), log.join('\n'));
      } finally {
        server.child.kill('SIGKILL');
      }
    });
  });

  it('a loopback listener keeps the port it asked for: taken here, the program gets the bind error it would get without mirrord', async () => {
    // Local clients reach a loopback listener at the port they know (js-debug at the inspector port it chose).
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as AddressInfo).port;
    try {
      await withSession('steal', async (session, log) => {
        const [launcher, argv] = session.launcherArgv('python3', [serverScript, String(port), '127.0.0.1']);
        const child = spawn(launcher, argv, { env: { ...process.env, ...session.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
        const [code] = (await once(child, 'exit')) as [number | null];
        assert.notEqual(code, 0, output);
        assert.match(output, /Address already in use/, output);
        assert.ok(!log.some((l) => l.includes('is taken here')), log.join('\n'));
      });
    } finally {
      holder.close();
    }
  });

  it('mirror: the pod answers, the local server gets a copy', async () => {
    await withSession('mirror', async (session) => {
      const server = await startServer(session, APP_PORT);
      try {
        for (let i = 0; i < 5; i++) assert.equal((await get(cluster.podIp, APP_PORT)).from, 'fake-service');
        const deadline = Date.now() + 5000;
        while ((server.output().match(/got \/x/g) ?? []).length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.equal((server.output().match(/got \/x/g) ?? []).length, 5, server.output());
        assert.match(server.output(), new RegExp(`from ${cluster.hostIp.replace(/\./g, '\\.')}`));
      } finally {
        server.child.kill('SIGKILL');
      }
    });
  });
});

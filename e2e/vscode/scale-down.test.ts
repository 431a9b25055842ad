/**
 * Issue 11, acceptance 5 (the VS Code half): `copy_target.scale_down` started from VS Code, in
 * the real VS Code (code-server + headless Chromium) with the packaged .vsix, on the
 * queue-reader deployment (3 replicas) and the in-cluster broker:
 *  1. F5 on a Node queue consumer whose launch.json has `"mirrord": true` and whose
 *     .mirrord/mirrord.json targets deployment/queue-reader with scale_down → the consumer
 *     (reaching the broker by the cluster name in the target's env) takes every message
 *     published during the session and the cluster none → Stop → the workload is back at 3
 *     replicas within communication_timeout + 15 s, no copy pod, the cluster's readers consume;
 *  2. SIGKILL of the IDE server (the process that holds the session, like the CLI in the
 *     exec flow) mid-session, MIRRORD_E2E_SCALE_REPS times (default 20; the language client
 *     starts a new server for the next F5) → the cluster's restorer puts the workload back
 *     within communication_timeout + 15 s, the copy pod is gone, and the cluster's readers consume;
 *     the extension ends the debug session the dead server served, with one notification.
 * Every test leaves the workload as it found it, and no debuggee or agent behind.
 *
 *   cd e2e && MIRRORD_E2E_KEEP_CLUSTER=1 npx mocha --config vscode/.mocharc.json vscode/scale-down.test.ts
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { importAgentImage } from '../agent/agent-image.js';
import { KUBECONFIG_PATH } from '../cluster/index.js';
import { agentPods } from '../support/ide-plugin.js';
import { SCALE_REPETITIONS, NS, TARGET, broker, clusterConsumes, consumed, copyPods, deploy, publish, queueBroker, readerPods, repairWorkload, restored, waitFor } from '../support/queue-reader.js';
import { REPO_ROOT, ensureCodeServer, ensureVsix, openWorkbench, startCodeServer, type RunningCodeServer } from './code-server.js';
import { debugConfiguration, debugToolbar, debugging, killWorkspaceProcesses, processesWith, waitForConsole, waitForNoDebugSession, workbenchState } from './workbench.js';

const OUT = process.env.MIRRORD_E2E_OUT ?? join(REPO_ROOT, 'e2e', 'vscode', 'out');
const TIMEOUT_S = 10;
const REPETITIONS = SCALE_REPETITIONS;
const BROKER_URL = `http://${queueBroker.name}.${NS}.svc.cluster.local:${queueBroker.port}`;

const launchJson = (readyDir: string): string =>
  JSON.stringify(
    {
      version: '0.2.0',
      configurations: [
        { type: 'node', request: 'launch', name: 'consumer', program: '${workspaceFolder}/consumer.mjs', console: 'internalConsole', env: { QUEUE_CONSUMER_READY_DIR: readyDir }, mirrord: true },
      ],
    },
    null,
    2,
  );
const MIRRORD_JSON = JSON.stringify(
  { target: { path: TARGET, namespace: NS }, feature: { copy_target: { scale_down: true } }, agent: { communication_timeout: TIMEOUT_S } },
  null,
  2,
);

describe('copy_target.scale_down from VS Code (issue 11, acceptance 5)', function () {
  this.timeout(300_000);
  let workspace: string;
  let readyDir: string;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  /** Our debuggees, then the workload and the session's objects; the agent exits after its communication_timeout. */
  async function repair(): Promise<void> {
    if (page && !page.isClosed() && (await debugging(page))) await debugToolbar(page, 'stop').catch(() => undefined);
    if (workspace) killWorkspaceProcesses(workspace);
    await repairWorkload();
    await waitFor('no agent pod left', async () => (await agentPods()).length === 0, (TIMEOUT_S + 30) * 1000);
  }

  /** The ready lines the consumers wrote (a file each); the Debug Console shows them too (test 1 reads it). */
  const readyLines = (): string[] => readdirSync(readyDir).filter((f) => f.startsWith('ready-')).map((f) => readFileSync(join(readyDir, f), 'utf8').trim());

  /** F5 on the consumer; resolves to its pid once it has reached the broker through the session (a ready line of this run). */
  async function startConsumer(): Promise<number> {
    const earlier = new Set(readyLines());
    await debugConfiguration(page, 'consumer');
    const deadline = Date.now() + 120_000;
    let line: string | undefined;
    while (!(line = readyLines().find((l) => !earlier.has(l)))) {
      if (Date.now() > deadline) assert.fail(`the consumer printed no ready line within 120 s; ${await workbenchState(page, codeServer!)}`);
      await page.waitForTimeout(250);
    }
    assert.ok(line.includes(`broker=${BROKER_URL}`), `the consumer reaches the broker by the cluster name from the target's env: ${line}`);
    return Number(/ready pid=(\d+)/.exec(line)![1]);
  }

  /** Scaled to 0 with the original replicas recorded, the readers gone, one idle copy pod. */
  async function assertScaledDown(): Promise<void> {
    const d = await deploy();
    assert.equal(d.replicas, 0);
    assert.equal((JSON.parse(d.annotation!) as { replicas: number }).replicas, 3);
    await waitFor("the cluster's readers to be gone", async () => (await readerPods()).length === 0, 30_000);
    assert.equal((await copyPods()).length, 1, 'one idle copy pod');
  }

  before(async function () {
    this.timeout(900_000);
    mkdirSync(OUT, { recursive: true });
    await importAgentImage();
    await repairWorkload();
    const install = ensureCodeServer();
    const vsix = ensureVsix();
    workspace = mkdtempSync(join(tmpdir(), 'mirrord-vscode-scale-'));
    readyDir = join(workspace, 'ready');
    mkdirSync(readyDir);
    mkdirSync(join(workspace, '.vscode'));
    mkdirSync(join(workspace, '.mirrord'));
    copyFileSync(join(REPO_ROOT, 'e2e', 'programs', 'queue-consumer.mjs'), join(workspace, 'consumer.mjs'));
    writeFileSync(join(workspace, '.mirrord', 'mirrord.json'), MIRRORD_JSON);
    writeFileSync(join(workspace, '.vscode', 'launch.json'), launchJson(readyDir));
    codeServer = await startCodeServer({ bin: install.bin, workspace, vsixFiles: [vsix], env: { KUBECONFIG: KUBECONFIG_PATH } });
    const opened = await openWorkbench(codeServer.url, workspace);
    browser = opened.browser;
    page = opened.page;
    await page.locator('.statusbar-item', { hasText: /mirrord:\s+off/ }).first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    this.timeout(120_000);
    if (this.currentTest?.state === 'failed' && page && !page.isClosed()) {
      await page.screenshot({ path: join(OUT, `failed-scale-down-${this.currentTest.title.slice(0, 1)}.png`) }).catch(() => undefined);
    }
    await repair();
  });

  after(async function () {
    this.timeout(120_000);
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    await repair();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('1: F5 → the debuggee takes every message published during the session and the cluster none → Stop → the workload is back', async () => {
    await broker('/reset', '');
    await startConsumer();
    await assertScaledDown();

    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await publish(`vscode-during-${i}`));
    for (const id of ids) await waitForConsole(page, new RegExp(`consumed id=${id} `), 30_000);
    const byId = new Map((await consumed()).map((m) => [m.id, m.consumer]));
    for (const id of ids) assert.equal(byId.get(id), 'local-consumer', `message ${id} went to ${byId.get(id)}`);

    await debugToolbar(page, 'stop');
    const stoppedAt = Date.now();
    await waitForNoDebugSession(page);
    const ms = await waitFor('restored after Stop', restored, (TIMEOUT_S + 15) * 1000);
    console.log(`      Stop → queue-reader back at 3 ready replicas, copy pod gone in ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s (polling took ${ms} ms)`);
    await clusterConsumes();
  });

  for (let rep = 1; rep <= REPETITIONS; rep++) {
    it(`2: SIGKILL of the IDE server mid-session → the cluster restores the workload within communication_timeout + 15 s (${rep}/${REPETITIONS})`, async () => {
      // After a kill, the language client starts a new server for the next F5.
      await startConsumer();
      await assertScaledDown();
      const servers = processesWith(`${codeServer!.extensionsDir}/`, 'ide-server.mjs');
      assert.equal(servers.length, 1, `one IDE server runs for this window: ${JSON.stringify(servers)}`);
      const killedAt = Date.now();
      process.kill(servers[0]!.pid, 'SIGKILL');
      // The extension ends the debug session the dead server served and says so once; the next F5 starts a new server.
      const toast = page.locator('.notification-toast', { hasText: /server stopped unexpectedly/ });
      await toast.first().waitFor({ timeout: 15_000 });
      await waitForNoDebugSession(page, 15_000);
      await toast.first().locator('.codicon-notifications-clear, .codicon-close').first().click().catch(() => undefined);
      await waitFor('restored after the IDE server was killed', restored, (TIMEOUT_S + 15) * 1000);
      const seconds = (Date.now() - killedAt) / 1000;
      console.log(`      IDE server SIGKILLed → queue-reader back at 3 ready replicas, copy pod gone in ${seconds.toFixed(1)} s (limit ${TIMEOUT_S + 15} s)`);
      assert.equal((await copyPods()).length, 0, 'the copy pod is gone');
      await clusterConsumes();
    });
  }
});

/**
 * Issue 7 on the real cluster, in the real VS Code (code-server + headless Chromium), with the
 * packaged .vsix installed, driven as a person would:
 *  1. a Node HTTP service whose launch.json has `"mirrord": true` and no target, a
 *     .mirrord/mirrord.json stealing with a header filter → F5 → the quick-pick lists the test
 *     namespace's deployments and their containers → pick the echo deployment → progress
 *     notification → a request with the filter header sent to the *cluster* Service (from
 *     another pod) stops at the breakpoint in the handler, Variables shows the header's value
 *     → Continue → the client gets the local handler's answer; requests without the header are
 *     answered by the pod throughout → Stop → no agent (pod, job, ephemeral container,
 *     iptables chain) within 30 s;
 *  2. each run re-resolves the config (mirrord.json edited between runs: another target), and
 *     the debug toolbar's Restart keeps the debuggee mirrored;
 *  3. status-bar toggle on: a configuration without the attribute is mirrored (the program
 *     sees the target's env var), `"mirrord": false` is not (and creates nothing in the cluster);
 *  5. SIGKILL of the extension host during a session → agent gone, the Service's pod
 *     answering the stolen requests again, within 30 s.
 * Screenshots (quick-pick, progress, stopped breakpoint, …) go to e2e/vscode/out/ (or $MIRRORD_E2E_OUT).
 *
 *   cd e2e && MIRRORD_E2E_KEEP_CLUSTER=1 npx mocha --config vscode/.mocharc.json vscode/cluster.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { importAgentImage } from '../agent/agent-image.js';
import { E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS } from '../cluster/index.js';
import { agentLeftovers, ephemeralAgentsRunning, getFromAnotherPod, podNames, sleep } from '../support/agent-helpers.js';
import { agentObjects, waitForNoSession } from '../support/ide-plugin.js';
import { FILTER_HEADER } from '../support/programs.js';
import { REPO_ROOT, ensureCodeServer, ensureVsix, openWorkbench, runCommand, startCodeServer, type RunningCodeServer } from './code-server.js';
import {
  debugConfiguration,
  debugToolbar,
  debugging,
  killWorkspaceProcesses,
  openFile,
  processesWith,
  toggleBreakpointAt,
  waitForConsole,
  waitForNoDebugSession,
} from './workbench.js';

const OUT = process.env.MIRRORD_E2E_OUT ?? join(REPO_ROOT, 'e2e', 'vscode', 'out');
const { echo, multi } = WORKLOADS;
const HEADER_VALUE = 'from-vscode-e2e';

/** The service under debugging; line BREAKPOINT_LINE is `res.end(answer)`, after `header` and `answer` are set. */
const SERVER_JS = `const http = require('node:http');
const server = http.createServer((req, res) => {
  const header = req.headers['${FILTER_HEADER}'] ?? 'none';
  const answer = JSON.stringify({ from: 'local-vscode', header, path: req.url });
  res.end(answer);
});
server.listen(${echo.port}, () => console.log('listening on ${echo.port}, ECHO_ONLY_VAR=' + (process.env.ECHO_ONLY_VAR ?? 'none') + ' at=' + Date.now()));
`;
const BREAKPOINT_LINE = 5;

/** Prints the target-only env vars and stays up (restart case). */
const ENV_JS = `console.log('vars: ECHO_ONLY_VAR=' + (process.env.ECHO_ONLY_VAR ?? 'none') + ' APP_ONLY_VAR=' + (process.env.APP_ONLY_VAR ?? 'none') + ' at=' + Date.now());
setInterval(() => undefined, 1000);
`;
/** Prints the target-only env var and exits (toggle cases). */
const ENV_ONCE_JS = `console.log('once: ECHO_ONLY_VAR=' + (process.env.ECHO_ONLY_VAR ?? 'none') + ' layer=' + (process.env.MIRRORD_LAYER_SOCKET ? 'yes' : 'no') + ' at=' + Date.now());
`;

interface Poll {
  readonly at: number;
  readonly doneAt: number;
  readonly ok: boolean;
  readonly what: string;
}

/** Requests without the header to the echo Service from another pod, one every `everyMs`, until stopped; each kept with its times and full error. */
function pollPod(tag: string, everyMs: number): { stop: () => Promise<Poll[]> } {
  const polls: Poll[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const at = Date.now();
      try {
        const body = await getFromAnotherPod(`/${tag}/${i}`, {}, 5);
        const ok = body.includes(`"path":"/${tag}/${i}"`) && /"pod":"echo-/.test(body);
        polls.push({ at, doneAt: Date.now(), ok, what: ok ? 'pod' : `#${i}: ${body.slice(0, 200)}` });
      } catch (error) {
        polls.push({ at, doneAt: Date.now(), ok: false, what: `#${i}: ${(error as Error).message.replace(/Defaulted container[^\n]*\n?/, '').trim()}` });
      }
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return polls;
    },
  };
}

function mirrordJson(target?: string): string {
  return JSON.stringify(
    {
      target: { ...(target ? { path: target } : {}), namespace: E2E_NAMESPACE },
      agent: { communication_timeout: 10 },
      feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: `^${FILTER_HEADER}: .+` } } } },
    },
    null,
    2,
  );
}

const LAUNCH_JSON = JSON.stringify(
  {
    version: '0.2.0',
    configurations: [
      // The first configuration: F5 starts it.
      { type: 'node', request: 'launch', name: 'service', program: '${workspaceFolder}/server.js', console: 'internalConsole', mirrord: true },
      { type: 'node', request: 'launch', name: 'env restart', program: '${workspaceFolder}/env.js', console: 'internalConsole', mirrord: { configFile: '.mirrord/env.json' } },
      { type: 'node', request: 'launch', name: 'env plain', program: '${workspaceFolder}/env-once.js', console: 'internalConsole' },
      { type: 'node', request: 'launch', name: 'env optout', program: '${workspaceFolder}/env-once.js', console: 'internalConsole', mirrord: false },
    ],
  },
  null,
  2,
);

describe('VS Code extension on the real cluster (issue 7: acceptance 1, 3, 5, 6)', function () {
  this.timeout(300_000);
  let workspace: string;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let echoPod: string;

  const shot = (name: string) => page.screenshot({ path: join(OUT, name) });
  const statusItem = (pattern: RegExp) => page.locator('.statusbar-item', { hasText: pattern });

  /** No agent pod/job running, no ephemeral agent in the echo pod, no agent chain in its netns, no agent process. */
  async function assertClusterClean(what: string): Promise<void> {
    const left = await agentLeftovers([{ pod: echoPod, container: echo.container }]);
    assert.deepEqual(left, [], `${what}: leftovers in the cluster`);
  }

  /** Waits (≤ timeoutMs) until the session is gone from the cluster; returns the ms it took. */
  async function waitForClusterClean(timeoutMs: number): Promise<number> {
    const started = Date.now();
    await waitForNoSession(timeoutMs);
    for (;;) {
      if ((await ephemeralAgentsRunning(echoPod)).length === 0) break;
      if (Date.now() - started > timeoutMs) throw new Error(`an ephemeral agent still runs in ${echoPod} after ${timeoutMs} ms`);
      await sleep(250);
    }
    return Date.now() - started;
  }

  before(async function () {
    this.timeout(900_000);
    mkdirSync(OUT, { recursive: true });
    await importAgentImage();
    const pods = await podNames(echo.name);
    assert.equal(pods.length, 1, `one echo pod runs: ${pods.join(', ')}`);
    echoPod = pods[0]!;
    await waitForClusterClean(60_000);
    const install = ensureCodeServer();
    const vsix = ensureVsix();
    workspace = mkdtempSync(join(tmpdir(), 'mirrord-vscode-cluster-'));
    mkdirSync(join(workspace, '.vscode'));
    mkdirSync(join(workspace, '.mirrord'));
    writeFileSync(join(workspace, 'server.js'), SERVER_JS);
    writeFileSync(join(workspace, 'env.js'), ENV_JS);
    writeFileSync(join(workspace, 'env-once.js'), ENV_ONCE_JS);
    writeFileSync(join(workspace, '.mirrord', 'mirrord.json'), mirrordJson());
    writeFileSync(join(workspace, '.mirrord', 'env.json'), mirrordJson(`deployment/${echo.name}`));
    writeFileSync(join(workspace, '.vscode', 'launch.json'), LAUNCH_JSON);
    codeServer = await startCodeServer({ bin: install.bin, workspace, vsixFiles: [vsix], env: { KUBECONFIG: KUBECONFIG_PATH } });
    const opened = await openWorkbench(codeServer.url, workspace);
    browser = opened.browser;
    page = opened.page;
    await statusItem(/mirrord:\s+off/).first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !page || page.isClosed()) return;
    const name = (this.currentTest.title.split(':')[0] ?? 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    await page.screenshot({ path: join(OUT, `failed-${name}.png`) }).catch(() => undefined);
    // Leave no debug session running for the next case (Shift+F5 stops the focused one).
    for (let i = 0; i < 5 && (await debugging(page)); i++) {
      await page.keyboard.press('Escape');
      await page.locator('.monaco-editor .view-lines').first().click().catch(() => undefined);
      await page.keyboard.press('Shift+F5');
      await page.waitForTimeout(2000);
    }
    await waitForNoDebugSession(page).catch(() => undefined);
    await waitForClusterClean(45_000).catch(() => undefined);
  });

  after(async function () {
    this.timeout(120_000);
    if (page && !page.isClosed()) await page.screenshot({ path: join(OUT, 'cluster-last.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    if (workspace) {
      const killed = killWorkspaceProcesses(workspace);
      if (killed.length > 0) console.log(`      killed leftover debuggees ${killed.join(', ')}`);
    }
    // Whatever failed, the cluster is left as found: the session's agent exits after communication_timeout (10 s).
    let leftovers: string | undefined;
    if (echoPod) {
      try {
        await waitForClusterClean(45_000);
      } catch (error) {
        leftovers = (error as Error).message;
      }
    }
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    if (leftovers) throw new Error(`the cluster is not clean after the suite: ${leftovers}`);
  });

  it('acceptance 1 + 6: "mirrord": true and no target → F5 → quick-pick → progress → a stolen request with the header stops at the breakpoint (Variables shows it) → Continue → local answer; others answered by the pod; Stop → agent gone within 30 s', async () => {
    await openFile(page, 'server.js', 'createServer');
    await toggleBreakpointAt(page, BREAKPOINT_LINE);
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });

    const poller = pollPod('vscode-untouched', 700);
    let pollerStopped = false;
    try {
      // F5 with the editor focused, as a person would.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('F5');

      // The target quick-pick: the test namespace's deployments, with their containers.
      const quickPick = page.locator('.quick-input-widget', { hasText: `target in namespace ${E2E_NAMESPACE}` });
      await quickPick.waitFor({ timeout: 60_000 });
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.filter({ hasText: `deployment/${echo.name}` }).first().waitFor({ timeout: 10_000 });
      await shot('quick-pick.png');
      const offered = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      console.log(`      quick-pick: ${JSON.stringify(offered.slice(0, 12))}`);
      for (const path of [`deployment/${echo.name}`, `deployment/${multi.name}/container/${multi.app.container}`, `deployment/${multi.name}/container/${multi.sidecar.container}`]) {
        assert.ok(offered.some((t) => t.includes(path)), `the quick-pick offers ${path}: ${JSON.stringify(offered)}`);
      }
      assert.ok(offered.some((t) => /Deployments/.test(t)), 'targets are grouped under "Deployments"');
      const pickedAt = Date.now();
      await rows.filter({ has: page.locator('.label-description', { hasText: new RegExp(`^deployment/${echo.name}$`) }) }).first().click();

      // The cancellable progress notification while the agent starts.
      const progress = page.locator('.notification-toast', { hasText: /mirrord/ }).filter({ hasText: /starting agent|connecting/ });
      await progress.first().waitFor({ timeout: 30_000 });
      await shot('progress.png');
      console.log(`      progress: ${JSON.stringify((await progress.first().innerText()).replace(/\s+/g, ' '))}`);

      await waitForConsole(page, /listening on 8080, ECHO_ONLY_VAR=from-echo-pod/, 120_000, pickedAt);
      console.log(`      target picked → debuggee listening in ${((Date.now() - pickedAt) / 1000).toFixed(1)} s`);
      await statusItem(new RegExp(`mirrord:\\s+deployment/${echo.name}`)).first().waitFor({ timeout: 10_000 });

      // A request with the filter header to the cluster Service, from another pod. Until the steal
      // is in place the pod answers it; once stolen it waits at the breakpoint.
      const stopped = page.locator('.debug-call-stack, .debug-pane', { hasText: /paused on breakpoint/i }).first();
      let request: Promise<string> | undefined;
      const deadline = Date.now() + 60_000;
      for (let i = 0; ; i++) {
        let answered: string | undefined;
        const attempt = getFromAnotherPod(`/stolen/${i}`, { [FILTER_HEADER]: HEADER_VALUE }, 180).then((body) => (answered = body));
        const outcome = await Promise.race([attempt.then(() => 'answered' as const), stopped.waitFor({ timeout: 20_000 }).then(() => 'stopped' as const)]);
        if (outcome === 'stopped') {
          request = attempt;
          break;
        }
        assert.match(answered!, /"pod":"echo-/, `before the steal is active the pod answers: ${answered}`);
        if (Date.now() > deadline) assert.fail('no request with the header was stolen within 60 s');
        await sleep(500);
      }

      // The debugger shows the header's value in Variables.
      const variable = page.locator('.monaco-list-row', { hasText: new RegExp(`header\\s*[:=]\\s*'${HEADER_VALUE}'`) }).first();
      await variable.waitFor({ timeout: 20_000 });
      await page.locator('.monaco-editor .debug-top-stack-frame-line, .monaco-editor .codicon-debug-stackframe').first().waitFor({ timeout: 10_000 });
      await shot('breakpoint.png');
      console.log(`      Variables: ${JSON.stringify((await variable.innerText()).replace(/\s+/g, ' '))}`);

      await debugToolbar(page, 'continue');
      const body = await request;
      const answer = JSON.parse(body) as { from?: string; header?: string };
      assert.equal(answer.from, 'local-vscode', `the client gets the local handler's answer: ${body}`);
      assert.equal(answer.header, HEADER_VALUE);

      // Stop: the cluster session ends with the debug session.
      await debugToolbar(page, 'stop');
      const stopAt = Date.now();
      await waitForNoDebugSession(page);
      const ms = await waitForClusterClean(30_000);
      const cleanAt = Date.now();
      console.log(`      Stop → agent, its pod/job and its iptables chains gone in ${((cleanAt - stopAt) / 1000).toFixed(1)} s`);
      await assertClusterClean('after Stop');
      await statusItem(/mirrord:\s+off/).first().waitFor({ timeout: 10_000 });
      assert.ok(ms <= 30_000);
      await sleep(2000);

      const polls = await poller.stop();
      pollerStopped = true;
      const during = polls.filter((p) => p.doneAt < stopAt);
      const teardown = polls.filter((p) => p.doneAt >= stopAt && p.at <= cleanAt);
      const after = polls.filter((p) => p.at > cleanAt);
      console.log(
        `      requests without the header: ${during.filter((p) => p.ok).length}/${during.length} answered by the pod during the session, ` +
          `${teardown.filter((p) => p.ok).length}/${teardown.length} in flight while the agent was removed, ${after.filter((p) => p.ok).length}/${after.length} after`,
      );
      for (const p of polls.filter((q) => !q.ok)) console.log(`      not answered by the pod (sent ${p.at - stopAt} ms after Stop): ${p.what}`);
      assert.ok(during.length > 5, 'requests without the header were sent during the session');
      assert.deepEqual(during.filter((p) => !p.ok), [], 'every request without the header is answered by the pod during the session');
      assert.deepEqual(after.filter((p) => !p.ok), [], 'and after the agent is gone');
      assert.deepEqual(teardown.filter((p) => !p.ok), [], 'and while the agent is removed');
      assert.match(await getFromAnotherPod('/after-stop', { [FILTER_HEADER]: HEADER_VALUE }), /"pod":"echo-/, 'after Stop the pod answers the header too');
    } finally {
      if (!pollerStopped) await poller.stop();
      await runCommand(page, 'Remove All Breakpoints').catch(() => undefined);
    }
  });

  it('each run re-resolves the config (mirrord.json edited between runs: another target); Restart keeps the debuggee mirrored', async () => {
    let since = Date.now();
    await debugConfiguration(page, 'env restart');
    await waitForConsole(page, /vars: ECHO_ONLY_VAR=from-echo-pod APP_ONLY_VAR=none/, 120_000, since);
    await statusItem(new RegExp(`mirrord:\\s+deployment/${echo.name}`)).first().waitFor({ timeout: 10_000 });

    // Another target in the config file, then the debug toolbar's Restart.
    writeFileSync(join(workspace, '.mirrord', 'env.json'), mirrordJson(`deployment/${multi.name}/container/${multi.app.container}`));
    since = Date.now();
    await debugToolbar(page, 'restart');
    const restarted = await waitForConsole(page, /vars: /, 120_000, since);
    console.log(`      after Restart: ${restarted.trim()}`);
    await shot('restart.png');
    assert.doesNotMatch(restarted, /ECHO_ONLY_VAR=none APP_ONLY_VAR=none/, 'the restarted debuggee still runs with mirrord');
    await debugToolbar(page, 'stop');
    await waitForNoDebugSession(page);
    await waitForClusterClean(30_000);

    // The next run (F5 on the same configuration) uses the edited file.
    since = Date.now();
    await debugConfiguration(page, 'env restart');
    const next = await waitForConsole(page, /vars: /, 120_000, since);
    console.log(`      next run: ${next.trim()}`);
    assert.match(next, /ECHO_ONLY_VAR=none APP_ONLY_VAR=from-app-container/, 'the next run uses the edited mirrord.json');
    await statusItem(new RegExp(`mirrord:\\s+deployment/${multi.name}/container/${multi.app.container}`)).first().waitFor({ timeout: 10_000 });
    await debugToolbar(page, 'stop');
    await waitForNoDebugSession(page);
    await waitForClusterClean(30_000);
    await assertClusterClean('after the re-resolve case');
  });

  it('acceptance 3: toggle on → a configuration without the attribute is mirrored (sees the target env var); "mirrord": false is not and creates nothing in the cluster', async () => {
    // The config file now names the target: no picker.
    writeFileSync(join(workspace, '.mirrord', 'mirrord.json'), mirrordJson(`deployment/${echo.name}`));
    await runCommand(page, 'mirrord: Toggle');
    await statusItem(/mirrord:\s+on/).first().waitFor({ timeout: 15_000 });
    try {
      let since = Date.now();
      await debugConfiguration(page, 'env plain');
      const mirrored = await waitForConsole(page, /once: /, 120_000, since);
      console.log(`      toggle on, no attribute: ${mirrored.trim()}`);
      assert.match(mirrored, /once: ECHO_ONLY_VAR=from-echo-pod layer=yes/);
      await shot('toggle-mirrored.png');
      // The program exited: its session ends by itself.
      await waitForNoDebugSession(page);
      const ms = await waitForClusterClean(30_000);
      console.log(`      the debuggee exited → cluster clean ${(ms / 1000).toFixed(1)} s later`);

      const before = new Set(await agentObjects());
      since = Date.now();
      await debugConfiguration(page, 'env optout');
      const plain = await waitForConsole(page, /once: /, 60_000, since);
      console.log(`      toggle on, "mirrord": false: ${plain.trim()}`);
      assert.match(plain, /once: ECHO_ONLY_VAR=none layer=no/);
      await waitForNoDebugSession(page);
      const created = (await agentObjects()).filter((o) => !before.has(o));
      assert.deepEqual(created, [], '"mirrord": false created nothing in the cluster');
      await assertClusterClean('after the toggle cases');
    } finally {
      await runCommand(page, 'mirrord: Toggle');
      await statusItem(/mirrord:\s+off/).first().waitFor({ timeout: 15_000 });
    }
  });

  it('acceptance 5: SIGKILL of the extension host during a session → agent gone and the pod answering within 30 s', async () => {
    const since = Date.now();
    await debugConfiguration(page, 'service');
    await waitForConsole(page, /listening on 8080, ECHO_ONLY_VAR=from-echo-pod/, 120_000, since);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const body = await getFromAnotherPod('/before-kill', { [FILTER_HEADER]: HEADER_VALUE });
      if (body.includes('"from":"local-vscode"')) break;
      if (Date.now() > deadline) assert.fail(`the header request was never stolen: ${body}`);
      await sleep(500);
    }
    assert.ok((await agentObjects()).length > 0, 'an agent runs for the session');

    const servers = processesWith(`${codeServer!.extensionsDir}/`, 'ide-server.mjs');
    assert.equal(servers.length, 1, `one IDE server runs for this window: ${JSON.stringify(servers)}`);
    const extensionHost = servers[0]!.ppid;
    assert.ok(readFileSync(`/proc/${extensionHost}/cmdline`, 'utf8').includes('code-server'), 'the IDE server is a child of the extension host');
    const killedAt = Date.now();
    process.kill(extensionHost, 'SIGKILL');

    await waitForClusterClean(30_000);
    let body = '';
    while (Date.now() - killedAt < 30_000) {
      body = await getFromAnotherPod('/after-kill', { [FILTER_HEADER]: HEADER_VALUE }).catch((e: Error) => e.message);
      if (/"pod":"echo-/.test(body)) break;
      await sleep(250);
    }
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`      extension host killed → agent gone and the pod answering the header request in ${seconds.toFixed(1)} s`);
    assert.match(body, /"pod":"echo-/, 'the pod answers the header request again');
    assert.ok(seconds <= 30, `took ${seconds} s`);
    assert.ok(!existsSync(`/proc/${servers[0]!.pid}/cmdline`) || processesWith(`${codeServer!.extensionsDir}/`, 'ide-server.mjs').length === 0, 'the IDE server is gone');
    await assertClusterClean('after the extension host was killed');
    await shot('extension-host-killed.png');
  });
});

/**
 * Issue 7, acceptance 2 in the browser: the Python and Go cases of e2e/ide-dap.test.ts in the real
 * VS Code (code-server + headless Chromium) with the packaged .vsix and the Go and Python
 * debuggers of shared/vscode-debuggers installed (Python: ms-python.debugpy; Go: golang.go with
 * Delve from Go modules), driven as a person would. For each launch configuration: breakpoint on
 * the handler's marked line → start it → (quick-pick: the echo deployment) → the debuggee
 * serves → a request with the steal-filter header sent to the *cluster* Service from another pod
 * stops at the breakpoint, Variables shows the header's value → Continue → the client gets the
 * local handler's answer; a request without the header is answered by the pod → Stop → agent
 * gone within 30 s. Go runs in its default mode (debug: dlv builds the workspace, static with
 * CGO_ENABLED=0 and with cgo), dlv being the one the server started under the layer's launcher.
 * Screenshots of the stopped breakpoints go to e2e/vscode/out/ (or $MIRRORD_E2E_OUT).
 *
 *   cd e2e && MIRRORD_E2E_KEEP_CLUSTER=1 npx mocha --config vscode/.mocharc.json vscode/cluster-debuggers.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { importAgentImage } from '../agent/agent-image.js';
import { E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS } from '../cluster/index.js';
import { DLV, ensureDlv } from '../support/debuggers.js';
import { sleep, waitForNoSession } from '../support/ide-plugin.js';
import { FILTER_HEADER, clusterGet } from '../support/programs.js';
import { REPO_ROOT, ensureCodeServer, ensureVsix, openWorkbench, startCodeServer, type RunningCodeServer } from './code-server.js';
import { debugConfiguration, debugToolbar, debugging, killWorkspaceProcesses, openFile, processesWith, toggleBreakpointAt, waitForConsole, waitForNoDebugSession } from './workbench.js';

const OUT = process.env.MIRRORD_E2E_OUT ?? join(REPO_ROOT, 'e2e', 'vscode', 'out');
const { echo } = WORKLOADS;
const PROGRAMS = join(REPO_ROOT, 'e2e', 'programs');

/** The line of a file marked "breakpoint" (1-based). */
function breakpointLine(file: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => /(#|\/\/) breakpoint$/.test(line.trimEnd()));
  assert.ok(index >= 0, `no breakpoint marker in ${file}`);
  return index + 1;
}

const ARGS = [String(echo.port), echo.onlyVar[0]];
const LAUNCH_JSON = JSON.stringify(
  {
    version: '0.2.0',
    configurations: [
      { type: 'debugpy', request: 'launch', name: 'python service', program: '${workspaceFolder}/handler.py', args: ARGS, python: '/usr/bin/python3', console: 'internalConsole', mirrord: true },
      { type: 'go', request: 'launch', name: 'go static', mode: 'debug', program: '${workspaceFolder}', args: ARGS, env: { CGO_ENABLED: '0' }, mirrord: { target: `deployment/${echo.name}` } },
      { type: 'go', request: 'launch', name: 'go cgo', mode: 'debug', program: '${workspaceFolder}', args: ARGS, env: { CGO_ENABLED: '1' }, mirrord: true },
    ],
  },
  null,
  2,
);

describe('Go and Python debuggers in the real VS Code on the real cluster (issue 7, acceptance 2)', function () {
  this.timeout(300_000);
  let workspace: string;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const timings: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(OUT, name) });

  /** "Remove All Breakpoints" from the command palette (its title has no "Debug:" category). */
  async function removeAllBreakpoints(): Promise<void> {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('>Remove All Breakpoints');
    // Clicked by its exact label: the first row may be a recently used, similar command.
    await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Remove All Breakpoints$/ }) }).first().click({ timeout: 10_000 });
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  before(async function () {
    this.timeout(1_800_000);
    mkdirSync(OUT, { recursive: true });
    ensureDlv();
    await importAgentImage();
    await waitForNoSession(60_000);
    const install = ensureCodeServer();
    const vsix = ensureVsix();
    workspace = mkdtempSync(join(tmpdir(), 'mirrord-vscode-debuggers-'));
    mkdirSync(join(workspace, '.vscode'));
    mkdirSync(join(workspace, '.mirrord'));
    copyFileSync(join(PROGRAMS, 'dap-handler.py'), join(workspace, 'handler.py'));
    copyFileSync(join(PROGRAMS, 'dap-handler.go'), join(workspace, 'main.go'));
    writeFileSync(join(workspace, 'go.mod'), 'module handler\n\ngo 1.22\n');
    writeFileSync(
      join(workspace, '.mirrord', 'mirrord.json'),
      JSON.stringify({ target: { namespace: E2E_NAMESPACE }, agent: { communication_timeout: 10 }, feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: `^${FILTER_HEADER}: .+` } } } } }, null, 2),
    );
    writeFileSync(join(workspace, '.vscode', 'launch.json'), LAUNCH_JSON);
    const go = execFileSync('bash', ['-lc', 'command -v go'], { encoding: 'utf8' }).trim();
    codeServer = await startCodeServer({
      bin: install.bin,
      workspace,
      vsixFiles: [vsix],
      debuggers: true,
      settings: { 'go.alternateTools': { dlv: DLV } },
      env: { KUBECONFIG: KUBECONFIG_PATH, PATH: `${dirname(go)}:${process.env.PATH ?? ''}` },
    });
    const opened = await openWorkbench(codeServer.url, workspace);
    browser = opened.browser;
    page = opened.page;
    await page.locator('.statusbar-item', { hasText: /mirrord:\s+off/ }).first().waitFor({ timeout: 60_000 });
  });

  after(async function () {
    this.timeout(120_000);
    if (page && !page.isClosed()) await page.screenshot({ path: join(OUT, 'debuggers-last.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    if (workspace) {
      const killed = killWorkspaceProcesses(workspace);
      if (killed.length > 0) console.log(`      killed leftover debuggees ${killed.join(', ')}`);
    }
    let leftovers: string | undefined;
    try {
      await waitForNoSession(45_000);
    } catch (error) {
      leftovers = (error as Error).message;
    }
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    for (const t of timings) console.log(`      ${t}`);
    if (leftovers) throw new Error(`the cluster is not clean after the suite: ${leftovers}`);
  });

  const cases = [
    { name: 'python service', file: 'handler.py', contains: 'BaseHTTPRequestHandler', picked: true, from: 'local-python-dap', quote: "'", linkage: undefined },
    { name: 'go static', file: 'main.go', contains: 'HandleFunc', picked: false, from: 'local-go-dap', quote: '"', linkage: /statically linked/ },
    { name: 'go cgo', file: 'main.go', contains: 'HandleFunc', picked: true, from: 'local-go-dap', quote: '"', linkage: /dynamically linked/ },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: ${c.picked ? 'quick-pick' : 'target in the attribute'} → a stolen request stops in the handler (Variables shows the header) → Continue → local answer; the pod answers the rest; Stop → agent gone`, async () => {
      const line = breakpointLine(join(workspace, c.file));
      const value = `vscode-${c.name.replace(/\s+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
      let failed = true;
      try {
        await removeAllBreakpoints();
        await openFile(page, c.file, c.contains);
        await toggleBreakpointAt(page, line);
        await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
        const started = Date.now();
        await debugConfiguration(page, c.name);
        if (c.picked) {
          const rows = page.locator('.quick-input-list .monaco-list-row');
          await page.locator('.quick-input-widget', { hasText: `target in namespace ${E2E_NAMESPACE}` }).waitFor({ timeout: 60_000 });
          await rows.filter({ has: page.locator('.label-description', { hasText: new RegExp(`^deployment/${echo.name}$`) }) }).first().click();
        }
        // This run's line (its at= stamp is not older than the start), not an earlier case's.
        await waitForConsole(page, /serving at=\d+/, 180_000, started);
        const serving = Date.now() - started;
        await page.locator('.statusbar-item', { hasText: new RegExp(`mirrord:\\s+deployment/${echo.name}`) }).first().waitFor({ timeout: 10_000 });
        if (c.linkage) {
          // The debuggee: the child of the dlv the IDE server started (Delve's own build of the workspace), and how it is linked.
          const dlvs = processesWith(DLV, 'dap').map((p) => p.pid);
          const debuggees = processesWith('__debug_bin').filter((p) => dlvs.includes(p.ppid));
          const exes = [...new Set(debuggees.map((p) => readlinkSync(`/proc/${p.pid}/exe`)))].filter((exe) => /\/__debug_bin[^/]*$/.test(exe));
          assert.equal(exes.length, 1, `one debuggee (Delve's __debug_bin build) under the server's dlv: ${JSON.stringify(debuggees)}`);
          assert.match(execFileSync('file', ['-L', exes[0]!], { encoding: 'utf8' }), c.linkage);
        }

        // A request with the header from another pod: the pod answers until the steal is in place, then it stops.
        const stopped = page.locator('.debug-call-stack, .debug-pane', { hasText: /paused on breakpoint/i }).first();
        let request: Promise<string> | undefined;
        let sentAt = 0;
        const deadline = Date.now() + 60_000;
        for (let i = 0; ; i++) {
          let answered: string | undefined;
          sentAt = Date.now();
          const attempt = clusterGet(`/stolen/${i}`, { [FILTER_HEADER]: value }).then((body) => (answered = body));
          const outcome = await Promise.race([attempt.then(() => 'answered' as const), stopped.waitFor({ timeout: 30_000 }).then(() => 'stopped' as const)]);
          if (outcome === 'stopped') {
            request = attempt;
            break;
          }
          assert.match(answered!, /"pod":"echo-/, `before the steal is active the pod answers: ${answered}`);
          if (Date.now() > deadline) assert.fail('no request with the header was stolen within 60 s');
          await sleep(500);
        }
        const toBreakpoint = Date.now() - sentAt;
        // VS Code 1.100 shows a variable as `header = 'value'`.
        const variable = page.locator('.debug-pane .monaco-list-row', { hasText: new RegExp(`header\\s*[=:]\\s*${c.quote}${value}${c.quote}`) }).first();
        await variable.waitFor({ timeout: 20_000 });
        await page.locator('.monaco-editor .debug-top-stack-frame-line, .monaco-editor .codicon-debug-stackframe').first().waitFor({ timeout: 10_000 });
        await shot(`breakpoint-${c.name.replace(/\s+/g, '-')}.png`);

        await debugToolbar(page, 'continue');
        const body = JSON.parse(await request!) as { from?: string; header?: string; env?: string };
        assert.deepEqual({ from: body.from, header: body.header, env: body.env }, { from: c.from, header: value, env: echo.onlyVar[1] }, "the cluster client gets the local handler's answer");
        const plain = await clusterGet('/not-stolen');
        assert.match(plain, new RegExp(`"pod":"${echo.name}-`), 'the pod answers requests without the header');

        await debugToolbar(page, 'stop');
        const stopAt = Date.now();
        await waitForNoDebugSession(page);
        await waitForNoSession(30_000);
        const gone = Date.now() - stopAt;
        timings.push(`${c.name}: start → serving ${(serving / 1000).toFixed(1)} s, stolen request → paused ${(toBreakpoint / 1000).toFixed(1)} s, Stop → agent gone ${(gone / 1000).toFixed(1)} s`);
        failed = false;
      } finally {
        if (failed) await shot(`debuggers-failed-${c.name.replace(/\s+/g, '-')}.png`).catch(() => undefined);
        await removeAllBreakpoints().catch(() => undefined);
        // Whatever failed, no debug session (and so no cluster session) outlives the case.
        for (let i = 0; i < 5 && (await debugging(page).catch(() => false)); i++) {
          await debugToolbar(page, 'stop').catch(() => undefined);
          await page.waitForTimeout(1000);
        }
        await waitForNoSession(45_000).catch(() => undefined);
      }
    });
  }
});

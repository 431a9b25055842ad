/**
 * `pnpm bench ide` (issue 7, acceptance 7): in the real VS Code (code-server + headless
 * Chromium, the packaged .vsix installed) on the real e2e cluster, in one run:
 *  - F5 → debuggee running: from the F5 key press to the first statement of the Node program
 *    (it writes Date.now() to a file), without mirrord and with mirrord (`"mirrord": {configFile}`
 *    naming deployment/echo, so no picker), the agent image cached on the node (a warm-up run of
 *    each first), median of N; the time mirrord adds and the ratio;
 *  - the IDE server's resident memory (VmRSS) while idle: started (by "mirrord: Select Target",
 *    dismissed) before any session, and again after the measured sessions ended.
 * Each mirrored run waits until its session is gone from the cluster before the next one.
 * Env: BENCH_IDE_RUNS (5), MIRRORD_VSIX (a .vsix to use instead of packaging one).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { importAgentImage } from '../agent/agent-image.js';
import { E2E_NAMESPACE, KUBECONFIG_PATH, WORKLOADS, clusterIsHealthy, ensureClusterUp, teardownCluster } from '../cluster/index.js';
import { waitForNoSession } from '../support/ide-plugin.js';
import { ensureCodeServer, ensureVsix, openWorkbench, runCommand, startCodeServer, type RunningCodeServer } from './code-server.js';
import { debugConfiguration, killWorkspaceProcesses, openFile, processesWith, rssMiB, waitForNoDebugSession } from './workbench.js';

const RUNS = Number(process.env.BENCH_IDE_RUNS ?? 5);
const OVERALL_TIMEOUT_MS = 30 * 60_000;
const { echo } = WORKLOADS;

const BENCH_JS = `require('node:fs').writeFileSync(process.argv[2], Date.now() + ' ' + (process.env.ECHO_ONLY_VAR ?? 'none'));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const fmt = (n: number, digits = 0): string => n.toFixed(digits);

async function waitForFile(path: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      if (text !== '') return text;
    }
    if (Date.now() > deadline) throw new Error(`the debuggee did not write ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One F5: ms from the key press to the debuggee's first statement; then waits until everything it started is gone. */
async function oneF5(page: Page, workspace: string, label: string, mirrored: boolean): Promise<number> {
  const mark = join(workspace, `started-${label}.txt`);
  rmSync(mark, { force: true });
  await page.locator('.monaco-editor .view-lines').first().click();
  const pressed = Date.now();
  await page.keyboard.press('F5');
  const [stamp, echoVar] = (await waitForFile(mark, 180_000)).split(' ');
  // The run really was (or was not) mirrored: the target's env var is there (or not).
  if (echoVar !== (mirrored ? echo.onlyVar[1] : 'none')) throw new Error(`${label}: the debuggee saw ECHO_ONLY_VAR=${echoVar}`);
  const started = Number(stamp);
  await waitForNoDebugSession(page, 60_000);
  if (mirrored) await waitForNoSession(60_000);
  return started - pressed;
}

export async function benchIde(): Promise<void> {
  const wasUp = await clusterIsHealthy();
  await ensureClusterUp();
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let workspace: string | undefined;
  const overall = setTimeout(() => {
    process.stderr.write(`bench ide: gave up after ${OVERALL_TIMEOUT_MS / 60_000} min\n`);
    process.exitCode = 1;
    void (async () => {
      await browser?.close().catch(() => undefined);
      await codeServer?.stop();
      if (workspace) killWorkspaceProcesses(workspace);
      process.exit(1);
    })();
  }, OVERALL_TIMEOUT_MS);
  try {
    await importAgentImage();
    await waitForNoSession(60_000);
    const install = ensureCodeServer();
    const vsix = ensureVsix();
    workspace = mkdtempSync(join(tmpdir(), 'mirrord-bench-ide-'));
    mkdirSync(join(workspace, '.vscode'));
    mkdirSync(join(workspace, '.mirrord'));
    writeFileSync(join(workspace, 'bench.js'), BENCH_JS);
    writeFileSync(
      join(workspace, '.mirrord', 'bench.json'),
      JSON.stringify({ target: { path: `deployment/${echo.name}`, namespace: E2E_NAMESPACE }, agent: { communication_timeout: 10 }, feature: { network: { incoming: 'mirror' } } }, null, 2),
    );
    writeFileSync(
      join(workspace, '.vscode', 'launch.json'),
      JSON.stringify(
        {
          version: '0.2.0',
          configurations: [
            { type: 'node', request: 'launch', name: 'bench plain', program: '${workspaceFolder}/bench.js', args: ['${workspaceFolder}/started-plain.txt'], console: 'internalConsole' },
            { type: 'node', request: 'launch', name: 'bench mirrord', program: '${workspaceFolder}/bench.js', args: ['${workspaceFolder}/started-mirrord.txt'], console: 'internalConsole', mirrord: { configFile: '.mirrord/bench.json' } },
          ],
        },
        null,
        2,
      ),
    );
    codeServer = await startCodeServer({ bin: install.bin, workspace, vsixFiles: [vsix], env: { KUBECONFIG: KUBECONFIG_PATH } });
    const opened = await openWorkbench(codeServer.url, workspace);
    browser = opened.browser;
    const page = opened.page;
    await page.locator('.statusbar-item', { hasText: /mirrord:\s+off/ }).first().waitFor({ timeout: 60_000 });
    await openFile(page, 'bench.js', 'writeFileSync');

    // The IDE server, started and idle: "Select Target" starts it and lists targets; dismissed.
    await runCommand(page, 'mirrord: Select Target');
    await page.locator('.quick-input-widget', { hasText: 'target in namespace' }).waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    const servers = processesWith(`${codeServer.extensionsDir}/`, 'ide-server.mjs');
    if (servers.length !== 1) throw new Error(`expected one IDE server, found ${JSON.stringify(servers)}`);
    const server = servers[0]!.pid;
    await new Promise((r) => setTimeout(r, 5000));
    const rssFresh = rssMiB(server);

    const times: Record<'plain' | 'mirrord', number[]> = { plain: [], mirrord: [] };
    for (const [label, name, mirrored] of [['plain', 'bench plain', false], ['mirrord', 'bench mirrord', true]] as const) {
      // Warm-up (selects the configuration for F5; with mirrord: the agent image on the node, the server's cluster code loaded).
      rmSync(join(workspace, `started-${label}.txt`), { force: true });
      await debugConfiguration(page, name);
      await waitForFile(join(workspace, `started-${label}.txt`), 180_000);
      await waitForNoDebugSession(page, 60_000);
      if (mirrored) await waitForNoSession(60_000);
      await openFile(page, 'bench.js', 'writeFileSync');
      for (let i = 0; i < RUNS; i++) {
        const ms = await oneF5(page, workspace, label, mirrored);
        times[label].push(ms);
        process.stderr.write(`F5 → debuggee running, ${label} #${i + 1}: ${ms} ms\n`);
      }
    }
    await new Promise((r) => setTimeout(r, 5000));
    const rssAfter = rssMiB(server);

    const plain = median(times.plain);
    const mirrord = median(times.mirrord);
    const lines = [
      `bench ide (VS Code ${'1.100'} in code-server, Node program, target ${E2E_NAMESPACE}/deployment/${echo.name}, agent image cached; ${new Date().toISOString()})`,
      `F5 → debuggee's first statement, median of ${RUNS}:`,
      `  without mirrord: ${fmt(plain)} ms (${times.plain.join(', ')})`,
      `  with mirrord:    ${fmt(mirrord)} ms (${times.mirrord.join(', ')})`,
      `  added by mirrord: ${fmt(mirrord - plain)} ms (goal ≤ 2000 ms), ratio ${fmt(mirrord / plain, 2)}`,
      `IDE server RSS idle: ${fmt(rssFresh, 1)} MiB after start (targets listed once, no session), ${fmt(rssAfter, 1)} MiB after ${RUNS + 1} sessions ended`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    clearTimeout(overall);
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    if (workspace) {
      killWorkspaceProcesses(workspace);
      rmSync(workspace, { recursive: true, force: true });
    }
    await waitForNoSession(60_000).catch((error: unknown) => process.stderr.write(`bench ide: ${String(error)}\n`));
    await teardownCluster({ keepRunning: wasUp || process.env.MIRRORD_E2E_KEEP_CLUSTER === '1' });
  }
}

// Run by bench/run.ts (`pnpm bench ide`) as a script of its own.
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  await benchIde().catch((error: unknown) => {
    process.stderr.write(`bench ide failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

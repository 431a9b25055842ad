/**
 * A real VS Code for tests: code-server 4.100.3 (VS Code 1.100) from the cache that
 * install-code-server.sh fills, a fresh user-data and extensions folder per run, the
 * extensions under test installed from .vsix files, bound to 127.0.0.1 only. Headless
 * Chromium (Debian's, through playwright-core) drives it as a person would.
 * See ../../../shared/VSCODE-E2E.md and ../../../shared/vscode-debuggers/README.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..');
export const SHARED_DEBUGGERS = join(REPO_ROOT, '..', 'shared', 'vscode-debuggers');
export const CODE_SERVER_VERSION = '4.100.3';

/** Installs (once, cached by version) and returns the code-server executable; timing in `seconds`. */
export function ensureCodeServer(): { bin: string; seconds: number } {
  const started = Date.now();
  const bin = execFileSync('bash', [join(here, 'install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 }).trim().split('\n').at(-1)!;
  return { bin, seconds: (Date.now() - started) / 1000 };
}

/** The extension under test, packaged (`pnpm --filter mirrord package`) unless MIRRORD_VSIX names one. */
export function ensureVsix(): string {
  if (process.env.MIRRORD_VSIX) return process.env.MIRRORD_VSIX;
  const dir = join(REPO_ROOT, 'packages', 'vscode-ext');
  execFileSync('pnpm', ['run', 'package'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  const vsix = readdirSync(dir).find((f) => /^mirrord-.*\.vsix$/.test(f));
  if (!vsix) throw new Error(`packaging wrote no mirrord-<version>.vsix in ${dir}`);
  return join(dir, vsix);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  readonly bin: string;
  readonly workspace: string;
  readonly vsixFiles: readonly string[];
  /** Install the Go and Python debuggers from shared/vscode-debuggers too. */
  readonly debuggers?: boolean;
  readonly settings?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly dataDir: string;
  readonly extensionsDir: string;
  readonly process: ChildProcess;
  log(): string;
  /** The tail of the extension's "mirrord" output channel (its log file in the data dir): the IDE server's progress and errors. */
  extensionLog(maxChars?: number): string;
  stop(): Promise<void>;
}

export const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'go.useLanguageServer': false,
  'go.showWelcome': false,
  'go.survey.prompt': false,
  'go.toolsManagement.autoUpdate': false,
  'go.toolsManagement.checkForUpdates': 'off',
  'go.delveConfig': { debugAdapter: 'dlv-dap' },
  'python.locator': 'js',
  'python.experiments.enabled': false,
  'python.languageServer': 'None',
};

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const root = mkdtempSync(join(tmpdir(), 'mirrord-code-server-'));
  const dataDir = join(root, 'data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(dataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(dataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2));
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const common = ['--config', configFile, '--user-data-dir', dataDir, '--extensions-dir', extensionsDir];
  const env = { ...process.env, ...options.env };

  const vsixFiles = [...options.vsixFiles];
  if (options.debuggers) {
    for (const f of ['golang.go-0.56.0.vsix', 'ms-python.python-2026.4.0.vsix', 'ms-python.debugpy-2026.6.0.vsix']) vsixFiles.push(join(SHARED_DEBUGGERS, f));
  }
  for (const vsix of vsixFiles) {
    execFileSync(options.bin, [...common, '--install-extension', vsix], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  }
  if (options.debuggers) {
    const go = readdirSync(extensionsDir).find((d) => d.startsWith('golang.go-'));
    if (go) {
      mkdirSync(join(extensionsDir, go, 'bin'), { recursive: true });
      copyFileSync(join(SHARED_DEBUGGERS, 'vscgo'), join(extensionsDir, go, 'bin', 'vscgo'));
    }
  }

  const port = await freePort();
  const child = spawn(options.bin, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', options.workspace], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() also ends the extension hosts and servers it started.
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}): ${output.slice(-2000)}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    extensionsDir,
    process: child,
    log: () => output,
    extensionLog: (maxChars = 3000) => mirrordChannelLog(dataDir).slice(-maxChars),
    stop: async () => {
      const group = child.pid!;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        signalGroup(group, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(group, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      // Extension hosts (and the IDE servers under them) that outlived code-server.
      await new Promise((r) => setTimeout(r, 500));
      signalGroup(group, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with the flags of VSCODE-E2E.md, on the workbench of `folder`. */
export async function openWorkbench(url: string, folder: string): Promise<{ browser: Browser; page: Page; seconds: number }> {
  if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium is not installed; run e2e/vscode/install-code-server.sh (it apt-installs it).');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const started = Date.now();
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return { browser, page, seconds: (Date.now() - started) / 1000 };
}

/** Runs a command from the command palette by its title, as a person would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Every "mirrord" output channel file of this data dir (one per extension-host start), oldest first. */
function mirrordChannelLog(dataDir: string): string {
  const logs = join(dataDir, 'logs');
  if (!existsSync(logs)) return '';
  let text = '';
  for (const run of readdirSync(logs).sort()) {
    for (const host of readdirSync(join(logs, run)).filter((d) => d.startsWith('exthost')).sort()) {
      const file = join(logs, run, host, 'mirrord-ts.mirrord', 'mirrord.log');
      if (existsSync(file)) text += readFileSync(file, 'utf8');
    }
  }
  return text;
}

/** Signals the process group this harness started (by its id); a group already gone is fine. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // no process left in the group
  }
}

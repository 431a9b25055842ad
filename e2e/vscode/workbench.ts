/**
 * What a person does in the VS Code workbench, for the cluster suite and `pnpm bench ide`:
 * start a launch configuration, set a breakpoint, press the debug toolbar's buttons, read the
 * Debug Console; and the host-side view of what the window started (the IDE server, its
 * extension host, processes running from the test workspace).
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { runCommand } from './code-server.js';

/** "Debug: Select and Start Debugging" through Quick Open (`debug <name>`), as the smoke suite does; it also selects the configuration for F5. */
export async function debugConfiguration(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(`debug ${name}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open and waits for its editor. */
export async function openFile(page: Page, name: string, contains: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
  await page.locator('.monaco-editor .view-lines', { hasText: contains }).first().waitFor({ timeout: 15_000 });
}

/** Puts the cursor on a line of the open editor (Go to Line) and toggles a breakpoint there. */
export async function toggleBreakpointAt(page: Page, line: number): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln\\s${line},`) }).waitFor({ timeout: 10_000 });
  await runCommand(page, 'Debug: Toggle Breakpoint');
}

/** A button of the floating debug toolbar (Continue, Stop, Restart, …), by its icon. */
export async function debugToolbar(page: Page, action: 'continue' | 'stop' | 'restart' | 'disconnect'): Promise<void> {
  const button = page.locator(`.debug-toolbar .action-label.codicon-debug-${action}`);
  await button.first().waitFor({ timeout: 15_000 });
  await button.first().click();
}

/** Whether a debug session runs (the debug toolbar is shown). */
export async function debugging(page: Page): Promise<boolean> {
  return (await page.locator('.debug-toolbar').count()) > 0 && (await page.locator('.debug-toolbar').first().isVisible());
}

export async function waitForNoDebugSession(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await debugging(page)) {
    if (Date.now() > deadline) throw new Error(`a debug session still runs ${timeoutMs} ms later`);
    await page.waitForTimeout(200);
  }
}

/**
 * Waits for a line in the Debug Console (the REPL shows the debuggee's output). With `since`
 * (ms since the epoch), only a line whose ` at=<ms>` stamp (the debuggee's Date.now()) is not
 * older counts, so output of an earlier run is never mistaken for this one's.
 */
export async function waitForConsole(page: Page, pattern: RegExp, timeoutMs = 60_000, since?: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = await page.locator('.repl .monaco-list-row').allInnerTexts();
    const found = lines.find((line) => {
      if (!pattern.test(line)) return false;
      if (since === undefined) return true;
      const at = / at=(\d+)/.exec(line);
      return at !== null && Number(at[1]) >= since;
    });
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the Debug Console within ${timeoutMs} ms; it shows: ${JSON.stringify(lines.slice(-15))}`);
    await page.waitForTimeout(200);
  }
}

/**
 * What a person would look at when a step did not happen: the notifications, whether a debug
 * session runs, the Debug Console's last lines and the tail of the extension's log.
 */
export async function workbenchState(page: Page, codeServer: { extensionLog(maxChars?: number): string }): Promise<string> {
  const toasts = await page.locator('.notification-toast').allInnerTexts().catch(() => [] as string[]);
  const console = await page.locator('.repl .monaco-list-row').allInnerTexts().catch(() => [] as string[]);
  return [
    `notifications: ${JSON.stringify(toasts)}`,
    `debugging: ${await debugging(page).catch(() => 'unknown')}`,
    `Debug Console (last 15): ${JSON.stringify(console.slice(-15))}`,
    `extension log (tail):\n${codeServer.extensionLog(4000)}`,
  ].join('\n');
}

export interface HostProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly cmdline: string;
}

/** Live processes whose command line contains every fragment, read from /proc. */
export function processesWith(...fragments: string[]): HostProcess[] {
  const found: HostProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!fragments.every((f) => cmdline.includes(f))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      found.push({ pid: Number(entry), ppid: Number(ppid), cmdline: cmdline.trim() });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The resident set size (VmRSS) of a process, in MiB. */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/**
 * SIGKILLs, by pid, the programs this test started from a file of its own workspace folder
 * (debuggees a killed extension host left behind); code-server itself names only the folder.
 */
export function killWorkspaceProcesses(workspace: string): number[] {
  const killed: number[] = [];
  for (const p of processesWith(`${workspace}/`)) {
    if (p.pid === process.pid) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
      killed.push(p.pid);
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}

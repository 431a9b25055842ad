/**
 * The packaged extension in a real VS Code (code-server), driven through headless Chromium:
 * the workbench opens, the mirrord status-bar item is there and off, "mirrord: Toggle" from
 * the command palette turns it on (and back off), "mirrord: Show Logs" shows the server's
 * log channel. Also records whether VS Code accepts and completes the `"mirrord"` attribute
 * in launch.json. No cluster is involved; screenshots go to e2e/vscode/out/.
 *
 *   cd e2e && npx mocha --config vscode/.mocharc.json
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT, ensureCodeServer, ensureVsix, openWorkbench, runCommand, startCodeServer, type RunningCodeServer } from './code-server.js';
import { processesWith } from './workbench.js';

const OUT = process.env.MIRRORD_E2E_OUT ?? join(REPO_ROOT, 'e2e', 'vscode', 'out');

function launchJson(attribute: string): string {
  return JSON.stringify(
    {
      version: '0.2.0',
      configurations: [
        { type: 'node', request: 'launch', name: 'server', program: '${workspaceFolder}/server.js', [attribute]: true },
        // Types owned by the Go and Python extensions (installed from shared/vscode-debuggers).
        { type: 'go', request: 'launch', name: 'go server', mode: 'auto', program: '${workspaceFolder}', [attribute]: true },
        { type: 'debugpy', request: 'launch', name: 'python server', program: '${workspaceFolder}/server.py', [attribute]: true },
      ],
    },
    null,
    2,
  );
}

describe('VS Code extension in code-server (smoke)', function () {
  this.timeout(600_000);
  let workspace: string;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    const install = ensureCodeServer();
    console.log(`      code-server ready in ${install.seconds.toFixed(1)} s (cached after the first install)`);
    const vsix = ensureVsix();
    workspace = mkdtempSync(join(tmpdir(), 'mirrord-vscode-smoke-'));
    mkdirSync(join(workspace, '.vscode'));
    mkdirSync(join(workspace, '.mirrord'));
    writeFileSync(join(workspace, 'server.js'), "require('node:http').createServer((q, s) => s.end('local\\n')).listen(8080);\n");
    writeFileSync(join(workspace, '.mirrord', 'mirrord.json'), '{ "feature": { "network": { "incoming": "steal" } } }\n');
    writeFileSync(join(workspace, '.vscode', 'launch.json'), launchJson('mirrord'));
    const started = Date.now();
    // No cluster here: a kubeconfig that does not exist makes every cluster step a clear error.
    codeServer = await startCodeServer({ bin: install.bin, workspace, vsixFiles: [vsix], debuggers: true, env: { KUBECONFIG: '/nonexistent/mirrord-vscode-smoke/kubeconfig' } });
    console.log(`      code-server with the extension installed and listening in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const opened = await openWorkbench(codeServer.url, workspace);
    browser = opened.browser;
    page = opened.page;
    console.log(`      workbench in ${opened.seconds.toFixed(1)} s`);
  });

  after(async () => {
    await browser?.close();
    await codeServer?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const statusItem = () => page.locator('.statusbar-item', { hasText: /mirrord:\s/ });

  it('shows the status-bar item, off for a new workspace', async () => {
    await statusItem().first().waitFor({ timeout: 60_000 });
    assert.match(await statusItem().first().innerText(), /mirrord:\s+off/);
  });

  it('the Go and Python debuggers are installed beside it (vscgo in place)', () => {
    const installed = readdirSync(codeServer!.extensionsDir);
    for (const prefix of ['mirrord-ts.mirrord-', 'golang.go-0.56.0', 'ms-python.python-2026.4.0', 'ms-python.debugpy-2026.6.0']) {
      assert.ok(installed.some((d) => d.startsWith(prefix)), `${prefix} in ${installed.join(', ')}`);
    }
    const go = installed.find((d) => d.startsWith('golang.go-'))!;
    assert.ok(existsSync(join(codeServer!.extensionsDir, go, 'bin', 'vscgo')));
  });

  it('"mirrord: Toggle" turns it on and off again', async () => {
    await runCommand(page, 'mirrord: Toggle');
    await page.locator('.statusbar-item', { hasText: /mirrord:\s+on/ }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(OUT, 'status-bar-on.png') });
    // Clicking the item toggles too.
    await page.locator('.statusbar-item', { hasText: /mirrord:\s+on/ }).click();
    await page.locator('.statusbar-item', { hasText: /mirrord:\s+off/ }).waitFor({ timeout: 15_000 });
  });

  it('"mirrord: Show Logs" shows the mirrord output channel', async () => {
    await runCommand(page, 'mirrord: Show Logs');
    await page.locator('.output-view, .panel', { hasText: /mirrord\s0\.\d+\.\d+\sactive/ }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(OUT, 'logs.png') });
  });

  it('launch.json: "mirrord" is accepted on node, go and debugpy configurations (types owned by other extensions), an unknown attribute is flagged, "mirrord" is offered for completion', async () => {
    const problemsOf = async (): Promise<string[]> => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1500);
      return (await panel.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/[\s\u00a0]+/g, ' '));
    };
    const openLaunchJson = async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('launch.json');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'launch.json' }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines', { hasText: 'configurations' }).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(3000);
    };
    await openLaunchJson();
    const withMirrord = await problemsOf();
    await page.screenshot({ path: join(OUT, 'launch-json-mirrord.png') });
    console.log(`      problems with "mirrord": ${JSON.stringify(withMirrord)}`);
    assert.equal(withMirrord.filter((p) => /mirrord/.test(p)).length, 0, `"mirrord" is flagged: ${withMirrord.join(' | ')}`);

    // Control: an attribute nobody declares is flagged by the same check.
    writeFileSync(join(workspace, '.vscode', 'launch.json'), launchJson('mirrordTypo'));
    await page.waitForTimeout(2500);
    await openLaunchJson();
    const withTypo = await problemsOf();
    console.log(`      problems with "mirrordTypo": ${JSON.stringify(withTypo)}`);
    const flagged = withTypo.filter((p) => /mirrordTypo/.test(p) && /not allowed/i.test(p));
    assert.equal(flagged.length, 3, `the control attribute is flagged on node, go and debugpy: ${withTypo.join(' | ')}`);

    // Completion inside the configuration object offers "mirrord".
    writeFileSync(join(workspace, '.vscode', 'launch.json'), launchJson('mirrordTypo').replace('"mirrordTypo": true', '"x": 1').replaceAll('"mirrordTypo": true', '"mirrord": true'));
    await page.waitForTimeout(2500);
    await openLaunchJson();
    await page.locator('.monaco-editor .view-line', { hasText: '"x": 1' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"mirr');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'mirrord' });
    await suggestion.first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(OUT, 'launch-json-completion.png') });
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
  });

  it('F5 with a config error: a notification names the key, no debug session starts, "Open config" jumps to the key', async () => {
    writeFileSync(join(workspace, '.mirrord', 'mirrord.json'), '{\n  "feature": {\n    "network": { "incoming": { "moode": "steal" } }\n  }\n}\n');
    writeFileSync(join(workspace, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [JSON.parse(launchJson('mirrord')).configurations[0]] }, null, 2));
    await page.waitForTimeout(2500);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('debug server');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'server' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast', { hasText: /feature\.network\.incoming\.moode/ });
    await toast.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(OUT, 'config-error-notification.png') });
    assert.match(await toast.innerText(), /did you mean/);
    assert.equal(await page.locator('.debug-toolbar').count(), 0, 'a debug session started after a config error');
    await toast.locator('.monaco-button', { hasText: 'Open config' }).click();
    await page.locator('.tab.active', { hasText: 'mirrord.json' }).waitFor({ timeout: 15_000 });
    await page.locator('.statusbar-item', { hasText: /Ln\s3,/ }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(OUT, 'open-config.png') });
  });

  it('toggle on: "mirrord": false runs the program without mirrord; a configuration without the attribute goes to mirrord (here: a cluster error, no debug session)', async () => {
    writeFileSync(join(workspace, '.mirrord', 'mirrord.json'), '{ "feature": { "network": { "incoming": "steal" } } }\n');
    writeFileSync(join(workspace, 'env.js'), "console.log('layer socket: ' + (process.env.MIRRORD_LAYER_SOCKET ?? 'none'));\n");
    writeFileSync(
      join(workspace, '.vscode', 'launch.json'),
      JSON.stringify({
        version: '0.2.0',
        configurations: [
          { type: 'node', request: 'launch', name: 'optout', program: '${workspaceFolder}/env.js', console: 'internalConsole', mirrord: false },
          { type: 'node', request: 'launch', name: 'plain', program: '${workspaceFolder}/env.js', console: 'internalConsole' },
        ],
      }),
    );
    await page.waitForTimeout(2000);
    await runCommand(page, 'mirrord: Toggle');
    await page.locator('.statusbar-item', { hasText: /mirrord:\s+on/ }).waitFor({ timeout: 15_000 });
    const debug = async (name: string) => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill(`debug ${name}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
    };
    await debug('optout');
    await page.locator('.repl', { hasText: /layer socket:\s+none/ }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(OUT, 'optout-ran.png') });

    await debug('plain');
    const toast = page.locator('.notification-toast', { hasText: /KUBECONFIG/ });
    await toast.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(OUT, 'toggle-on-cluster-error.png') });
    assert.match(await toast.innerText(), /nonexistent\/mirrord-vscode-smoke\/kubeconfig/);
    assert.equal(await page.locator('.repl', { hasText: /layer socket:\s+\// }).count(), 0, 'the program ran although mirrord failed');
    await runCommand(page, 'mirrord: Toggle');
  });

  it('killing the extension host ends the IDE server (it outlives no client)', async () => {
    const servers = processesWith(`${codeServer!.extensionsDir}/`, 'ide-server.mjs');
    assert.equal(servers.length, 1, `one IDE server runs for this window: ${JSON.stringify(servers)}`);
    const server = servers[0]!;
    const extensionHost = server.ppid;
    assert.ok(readFileSync(`/proc/${extensionHost}/cmdline`, 'utf8').includes('code-server'), 'its parent is the extension host');
    const started = Date.now();
    process.kill(extensionHost, 'SIGKILL');
    while (existsSync(`/proc/${server.pid}`) && !readFileSync(`/proc/${server.pid}/stat`, 'utf8').includes(') Z ')) {
      if (Date.now() - started > 15_000) assert.fail(`the IDE server (pid ${server.pid}) still runs 15 s after its extension host was killed`);
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`      IDE server gone ${((Date.now() - started) / 1000).toFixed(1)} s after the extension host was killed`);
  });
});

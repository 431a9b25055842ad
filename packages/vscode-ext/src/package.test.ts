/**
 * What the package promises: one version with the CLI, the protocol types shared with the
 * server, no cluster code in the extension bundle, the schema and the server shipped as files.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  main: string;
  contributes: { commands: { command: string }[]; jsonValidation: { fileMatch: string[]; url: string }[]; debuggers: { type: string; configurationAttributes: Record<string, { properties: Record<string, unknown> }> }[] };
};

describe('vscode-ext package', function () {
  this.timeout(60_000);

  before(() => {
    execFileSync(process.execPath, ['build.mjs'], { cwd: root, stdio: 'inherit' });
  });

  it('carries the version of the CLI and server', () => {
    const cli = /VERSION = '([^']+)'/.exec(readFileSync(`${root}../core/src/version.ts`, 'utf8'))?.[1];
    assert.equal(manifest.version, cli);
  });

  it('contributes the five commands', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), ['mirrord.selectConfig', 'mirrord.selectTarget', 'mirrord.showLogs', 'mirrord.stopSessions', 'mirrord.toggle']);
  });

  it('validates .mirrord/mirrord.json with the generated schema, which the build ships', () => {
    const validation = manifest.contributes.jsonValidation[0]!;
    assert.ok(validation.fileMatch.includes('.mirrord/mirrord.json'));
    const shipped = readFileSync(`${root}${validation.url.replace(/^\.\//, '')}`, 'utf8');
    assert.equal(shipped, readFileSync(`${root}../core/schema/mirrord.schema.json`, 'utf8'));
  });

  it('the "mirrord" attribute is described for the debug types it is offered on', () => {
    for (const d of manifest.contributes.debuggers) assert.ok(d.configurationAttributes.launch?.properties.mirrord, d.type);
  });

  it('bundles the extension without cluster code, and the server and the layer as separate files', () => {
    const extension = readFileSync(`${root}${manifest.main.replace(/^\.\//, '')}`, 'utf8');
    assert.doesNotMatch(extension, /KubeConfig|@kubernetes\/client-node|grpc-js/);
    assert.match(extension, /mirrord\/startSession/);
    assert.match(readFileSync(`${root}dist/ide-server.mjs`, 'utf8'), /mirrord\/startSession/);
    for (const file of ['libmirrord_layer.so', 'mirrord-layer-exec', 'layer.node']) assert.ok(existsSync(`${root}build/${file}`), file);
  });

  it('the bundled server finds the shipped layer: a session start gets past the kernel and layer checks to the cluster', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrord-vsix-server-'));
    try {
      const frame = (m: object) => {
        const body = JSON.stringify(m);
        return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      };
      const input =
        frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { protocolVersion: 1 } } }) +
        frame({ jsonrpc: '2.0', id: 2, method: 'mirrord/startSession', params: { cwd: dir, debugType: 'node', target: 'targetless' } });
      const out = execFileSync(process.execPath, [`${root}dist/ide-server.mjs`, '--stdio'], { input, cwd: dir, env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig', MIRRORD_CONFIG_FILE: '' }, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
      const answer = out.split(/Content-Length: \d+\r\n\r\n/).filter(Boolean).map((b) => JSON.parse(b) as { id?: number; error?: { message: string; data: { kind: string } } }).find((m) => m.id === 2);
      assert.equal(answer?.error?.data.kind, 'cluster', JSON.stringify(answer));
      assert.match(answer!.error!.message, /KUBECONFIG/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bundled server answers initialize over stdio', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { protocolVersion: 1 } } });
    const out = execFileSync(process.execPath, [`${root}dist/ide-server.mjs`, '--stdio'], { input: `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, env: { ...process.env, KUBECONFIG: '/nonexistent' }, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
    assert.match(out, /"serverInfo":\{"name":"mirrord","version":"0\.1\.0"\}/);
  });
});

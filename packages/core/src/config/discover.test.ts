import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { discoverConfigFile } from './discover.js';
import { loadConfig } from './load.js';

describe('config discovery', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mirrord-discover-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(relative: string, text: string): string {
    const path = join(root, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  it('finds .mirrord/mirrord.json in the working directory or above it', () => {
    const file = write('.mirrord/mirrord.json', '{}');
    mkdirSync(join(root, 'a/b'), { recursive: true });
    assert.equal(discoverConfigFile({ cwd: join(root, 'a/b'), env: {} }), file);
  });

  it('prefers json, then yaml, yml, toml in one folder', () => {
    const toml = write('.mirrord/mirrord.toml', '');
    assert.equal(discoverConfigFile({ cwd: root, env: {} }), toml);
    const yaml = write('.mirrord/mirrord.yaml', '');
    assert.equal(discoverConfigFile({ cwd: root, env: {} }), yaml);
    const json = write('.mirrord/mirrord.json', '');
    assert.equal(discoverConfigFile({ cwd: root, env: {} }), json);
  });

  it('takes MIRRORD_CONFIG_FILE over the workspace file, and an explicit path over both', () => {
    write('.mirrord/mirrord.json', '{}');
    const fromEnv = write('other.yaml', 'target: pod/x\n');
    const explicit = write('explicit.toml', 'target = "pod/y"\n');
    assert.equal(discoverConfigFile({ cwd: root, env: { MIRRORD_CONFIG_FILE: 'other.yaml' } }), fromEnv);
    assert.equal(discoverConfigFile({ cwd: root, configFile: 'explicit.toml', env: { MIRRORD_CONFIG_FILE: 'other.yaml' } }), explicit);
    const loaded = loadConfig({ cwd: root, configFile: explicit, env: {} });
    assert.deepEqual(loaded.config.target.path, { kind: 'pod', name: 'y', container: null });
  });

  it('returns undefined (all defaults) when there is no file', () => {
    assert.equal(discoverConfigFile({ cwd: root, env: {} }), undefined);
    assert.equal(loadConfig({ cwd: root, env: {} }).path, null);
  });

  it('names a missing explicit file', () => {
    assert.throws(() => discoverConfigFile({ cwd: root, configFile: 'nope.json', env: {} }), (e: unknown) => e instanceof ConfigError && /nope\.json .*does not exist/.test(e.message));
  });

  it('applies --target and MIRRORD_TARGET_NAMESPACE over the file', () => {
    write('.mirrord/mirrord.json', '{"target": {"path": "pod/a", "namespace": "n1"}}');
    const loaded = loadConfig({ cwd: root, env: { MIRRORD_TARGET_NAMESPACE: 'n2' }, overrides: { target: 'deployment/b' } });
    assert.deepEqual(loaded.config.target, { path: { kind: 'deployment', name: 'b', container: null }, namespace: 'n2' });
    assert.throws(() => loadConfig({ cwd: root, env: {}, overrides: { target: 'b' } }), (e: unknown) => e instanceof ConfigError && e.key === 'target');
  });
});

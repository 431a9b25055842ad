/** The built `mirrord` binary, run as IDE plugins and people run it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const binary = join(packageDir, 'dist/mirrord.js');

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [binary, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    cwd: dir,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;

describe('mirrord CLI', function () {
  this.timeout(30_000);

  before(() => {
    const build = spawnSync(process.execPath, ['build.mjs'], { cwd: packageDir, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    dir = mkdtempSync(join(tmpdir(), 'mirrord-cli-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ target: { path: 'deployment/echo/container/app', namespace: 'staging' }, feature: { network: { incoming: 'steal' } } }));
    writeFileSync(join(dir, 'bad.json'), '{\n  "feature": {\n    "network": { "incoming": { "mode": "stael" } }\n  }\n}\n');
    writeFileSync(join(dir, 'no-target.yaml'), 'feature:\n  fs: local\n');
    writeFileSync(join(dir, 'operator.json'), JSON.stringify({ feature: { split_queues: {} } }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--version prints "mirrord <version>" matching the package', () => {
    const { code, stdout } = run(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `mirrord ${VERSION}\n`);
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
  });

  describe('verify-config --ide (mirrord plugin contract)', () => {
    it('a bad file: exit 0, one Fail document naming the key path', () => {
      const { code, stdout, stderr } = run(['verify-config', '--ide', join(dir, 'bad.json')], { MIRRORD_PROGRESS_MODE: 'json' });
      assert.equal(code, 0);
      assert.equal(stderr, '');
      const verdict = JSON.parse(stdout) as { type: string; errors: string[] };
      assert.equal(verdict.type, 'Fail');
      assert.match(verdict.errors[0]!, /feature\.network\.incoming\.mode/);
      assert.match(verdict.errors[0]!, /did you mean "steal"/);
      assert.match(verdict.errors[0]!, /bad\.json:3:/);
    });

    it('a good file: Success with the target path and namespace', () => {
      const { code, stdout } = run(['verify-config', '--ide', join(dir, 'good.json')]);
      assert.equal(code, 0);
      const verdict = JSON.parse(stdout);
      assert.deepEqual(verdict.config, { path: 'deployment/echo/container/app', namespace: 'staging' });
      assert.deepEqual(verdict.warnings, []);
      assert.ok(verdict.compatible_target_types.includes('deployment'));
      assert.equal(verdict.type, 'Success');
    });

    it('a path relative to the working directory', () => {
      const verdict = JSON.parse(run(['verify-config', '--ide', 'good.json']).stdout);
      assert.equal(verdict.type, 'Success');
    });

    it('no target: Success with path null (the plugin then runs ls)', () => {
      const verdict = JSON.parse(run(['verify-config', '--ide', join(dir, 'no-target.yaml')]).stdout);
      assert.equal(verdict.type, 'Success');
      assert.equal(verdict.config.path, null);
    });

    it('operator-only keys: Success with a warning', () => {
      const verdict = JSON.parse(run(['verify-config', '--ide', join(dir, 'operator.json')]).stdout);
      assert.equal(verdict.type, 'Success');
      assert.match(verdict.warnings[0], /feature\.split_queues.*operator/);
    });

    it('a missing file: Fail, still exit 0', () => {
      const { code, stdout } = run(['verify-config', '--ide', join(dir, 'missing.json')]);
      assert.equal(code, 0);
      assert.match(JSON.parse(stdout).errors[0], /does not exist/);
    });
  });

  describe('verify-config for a person', () => {
    it('a bad file exits 1 with the key path, a hint, and no stack trace', () => {
      const { code, stderr } = run(['verify-config', join(dir, 'bad.json')]);
      assert.equal(code, 1);
      assert.match(stderr, /feature\.network\.incoming\.mode/);
      assert.match(stderr, /hint: /);
      assert.doesNotMatch(stderr, /\n\s+at /);
    });

    it('a good file exits 0 and names the target', () => {
      const { code, stdout } = run(['verify-config', join(dir, 'good.json')]);
      assert.equal(code, 0);
      assert.match(stdout, /valid; target: deployment\/echo\/container\/app in namespace staging/);
    });
  });

  describe('errors', () => {
    it('ide-server without --stdio says how to run it and exits 2', () => {
      const { code, stderr } = run(['ide-server']);
      assert.equal(code, 2);
      assert.match(stderr, /mirrord ide-server speaks only over stdio/);
    });

    it('in JSON mode an error is exactly one `Error: {json}` line', () => {
      const { code, stdout, stderr } = run(['verify-config', join(dir, 'bad.json')], { MIRRORD_PROGRESS_MODE: 'json' });
      assert.equal(code, 1);
      assert.equal(stdout, '');
      const lines = stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1);
      assert.ok(lines[0]!.startsWith('Error: '));
      const payload = JSON.parse(lines[0]!.slice('Error: '.length));
      assert.equal(typeof payload.message, 'string');
      assert.equal(typeof payload.help, 'string');
    });

    it('ext with a bad config: only JSON lines on stdout, one `Error: {json}` line on stderr, non-zero exit', () => {
      const { code, stdout, stderr } = run(['ext', '-f', join(dir, 'bad.json')], { MIRRORD_PROGRESS_MODE: 'json' });
      assert.equal(code, 1);
      for (const line of stdout.split('\n').slice(0, -1)) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
      assert.ok(stdout.endsWith('\n') && !stdout.includes('\n\n'));
      const errors = stderr.split('\n').filter((l) => l !== '');
      assert.equal(errors.length, 1, stderr);
      assert.match(JSON.parse(errors[0]!.slice('Error: '.length)).message, /feature\.network\.incoming\.mode/);
    });

    it('ext with an unknown target: one `Error: {json}` line naming it', () => {
      const { code, stderr } = run(['ext', '-t', 'pods/x'], { MIRRORD_PROGRESS_MODE: 'json' });
      assert.equal(code, 1);
      assert.match(stderr, /^Error: \{.*pods\/x.*\}\n$/);
    });

    it('an unknown command or flag is a usage error (exit 2), one sentence', () => {
      const unknown = run(['bogus']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^mirrord: Unknown command 'bogus'\./);
      const flag = run(['verify-config', '--nope', 'x']);
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /Unknown option '--nope'/);
    });

    it('a person never sees `Error: ` from warnings', () => {
      const { stderr } = run(['verify-config', join(dir, 'operator.json')]);
      assert.doesNotMatch(stderr, /Error: /);
      assert.match(stderr, /warning: /);
    });
  });
});

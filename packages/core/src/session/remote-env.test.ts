import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { valueOf } from '../config/dsl.js';
import { configType, type EnvConfig } from '../config/definition.js';
import { applyEnvPlan, parseEnvFile, planEnv } from './remote-env.js';

function envConfig(env: unknown): EnvConfig {
  return valueOf(configType, { feature: { env } }).feature.env;
}

const remote = { DATABASE_URL: 'pg://db', SECRET_TOKEN: 's', PATH: '/remote/bin', HOME: '/root', LD_PRELOAD: 'x.so', CONN_TIMEOUT: '500', MY_APP_A: '1', KUBERNETES_SERVICE_HOST: '10.96.0.1' };

describe('remote env', () => {
  it('takes everything but the defaults that would break a local process', () => {
    const plan = planEnv(remote, envConfig(true), {}, '/');
    assert.deepEqual(Object.keys(plan.set).sort(), ['CONN_TIMEOUT', 'DATABASE_URL', 'KUBERNETES_SERVICE_HOST', 'MY_APP_A', 'SECRET_TOKEN']);
  });

  it('include with wildcards, and a default-excluded name when named', () => {
    const plan = planEnv(remote, envConfig({ include: 'MY_APP_*;PATH' }), {}, '/');
    assert.deepEqual(plan.set, { MY_APP_A: '1', PATH: '/remote/bin' });
  });

  it('exclude', () => {
    const plan = planEnv(remote, envConfig({ exclude: ['SECRET_*', 'CONN_?IMEOUT'] }), {}, '/');
    assert.equal(plan.set.SECRET_TOKEN, undefined);
    assert.equal(plan.set.CONN_TIMEOUT, undefined);
    assert.equal(plan.set.DATABASE_URL, 'pg://db');
  });

  it('mapping replaces values of matching names, with capture groups', () => {
    const plan = planEnv(remote, envConfig({ mapping: { '.+_TIMEOUT': '1000', 'MY_(APP)_(\\w)': 'v-$1-$2' } }), {}, '/');
    assert.equal(plan.set.CONN_TIMEOUT, '1000');
    assert.equal(plan.set.MY_APP_A, 'v-APP-A');
  });

  it('env file over remote, override over both, unset last (case-insensitive)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrord-env-'));
    try {
      writeFileSync(join(dir, '.env'), '# comment\nexport DATABASE_URL="pg://from-file"\nFROM_FILE=yes # trailing\n');
      const plan = planEnv(remote, envConfig({ env_file: '.env', override: { FROM_FILE: 'override' }, unset: ['aws_profile', 'SECRET_TOKEN'] }), { AWS_PROFILE: 'dev' }, dir);
      assert.equal(plan.set.DATABASE_URL, 'pg://from-file');
      assert.equal(plan.set.FROM_FILE, 'override');
      assert.equal(plan.set.SECRET_TOKEN, undefined);
      assert.deepEqual([...plan.unset].sort(), ['AWS_PROFILE', 'SECRET_TOKEN']);
      const child = applyEnvPlan({ AWS_PROFILE: 'dev', LOCAL: 'l' }, plan);
      assert.equal(child.AWS_PROFILE, undefined);
      assert.equal(child.LOCAL, 'l');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('env disabled takes nothing remote but still applies override', () => {
    const plan = planEnv(remote, envConfig({ override: { A: 'b' } }), {}, '/');
    assert.equal(plan.set.A, 'b');
    const off = planEnv(remote, { ...envConfig(false), override: { A: 'b' } }, {}, '/');
    assert.deepEqual(off.set, { A: 'b' });
  });

  it('rejects a malformed env file line with its number', () => {
    assert.throws(() => parseEnvFile('A=1\nnot a pair\n', '.env'), /Line 2 of the env file \.env/);
  });
});

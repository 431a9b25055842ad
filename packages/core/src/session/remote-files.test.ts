import assert from 'node:assert/strict';
import { configType } from '../config/definition.js';
import { valueOf } from '../config/dsl.js';
import { fileRouter, structStat, structStatx } from './remote-files.js';

function router(fs: unknown = 'read', localDirs: string[] = ['/home/dev/project']) {
  return fileRouter(valueOf(configType, { feature: { fs } }).feature.fs, localDirs);
}

describe('remote files routing', () => {
  it('reads the target\'s files, but system, runtime and project paths locally', () => {
    const r = router();
    assert.equal(r.route('/app/config.yaml', false), 'remote');
    assert.equal(r.route('/var/run/secrets/kubernetes.io/serviceaccount/token', false), 'remote');
    assert.equal(r.route('/etc/myapp/settings.toml', false), 'remote');
    for (const local of ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/proc/self/maps', '/etc/hosts', '/etc/resolv.conf', '/tmp/x', '/home/dev/project/main.py', '/home', 'relative/path.txt', '/srv/app/lib.py']) {
      assert.equal(r.route(local, false), 'local', local);
    }
  });

  it('keeps a virtualenv outside the project local: pyvenv.cfg and the site-packages folder itself', () => {
    const r = router('read', ['/work/main/e2e', '/var/cache/venv/bin']);
    assert.equal(r.route('/var/cache/venv/pyvenv.cfg', false), 'local');
    assert.equal(r.route('/var/cache/venv/lib/python3.11/site-packages', false), 'local');
    assert.equal(r.route('/var/cache/venv/lib/python3.11/site-packages/debugpy/__init__.py', false), 'local');
    assert.equal(r.route('/var/cache/venv/lib/python3.11/site-packagesx', false), 'remote');
  });

  it('keeps ancestors of local folders local (runtimes resolve their paths component by component)', () => {
    const r = router('read', ['/work/main/e2e']);
    assert.equal(r.route('/work', false), 'local');
    assert.equal(r.route('/work/main', false), 'local');
    assert.equal(r.route('/workspace', false), 'remote');
  });

  it('writes stay local; modes local and localwithoverrides; user patterns win', () => {
    assert.equal(router().route('/app/out.log', true), 'local');
    assert.equal(router('local').route('/app/config.yaml', false), 'local');
    assert.equal(router('localwithoverrides').route('/app/config.yaml', false), 'local');
    assert.equal(router({ mode: 'localwithoverrides', read_only: ['^/app/'] }).route('/app/config.yaml', false), 'remote');
    assert.equal(router({ local: ['\\.yaml$'] }).route('/app/config.yaml', false), 'local');
    assert.equal(router({ not_found: ['secret'] }).route('/app/secret.txt', false), 'not_found');
    assert.equal(router({ read_only: ['^/etc/hosts$'] }).route('/etc/hosts', false), 'remote');
  });

  it('applies mapping before anything else', () => {
    const r = router({ mapping: { '^/home/dev/config': '/etc/app' } });
    assert.equal(r.map('/home/dev/config/a.yaml'), '/etc/app/a.yaml');
    assert.equal(r.route('/home/dev/config/a.yaml', false), 'remote');
  });

  it('encodes struct stat and statx of x86_64', () => {
    const stat = { type: 'FILE_TYPE_FILE', size: 1234, mode: 0o644, uid: 1, gid: 2, mtimeMs: 1_700_000_000_123, inode: 99 };
    const s = structStat(stat);
    assert.equal(s.length, 144);
    assert.equal(s.readUInt32LE(24), 0o100644);
    assert.equal(s.readBigInt64LE(48), 1234n);
    assert.equal(s.readBigInt64LE(88), 1_700_000_000n);
    const x = structStatx({ ...stat, type: 'FILE_TYPE_DIRECTORY' });
    assert.equal(x.length, 256);
    assert.equal(x.readUInt16LE(28), 0o040644);
    assert.equal(x.readBigUInt64LE(40), 1234n);
  });
});

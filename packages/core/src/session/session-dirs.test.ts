import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processStartTime } from './process-identity.js';
import { createSessionDir, sweepStaleSessionDirs } from './session-dirs.js';

describe('session folders', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'session-dirs-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function sessionDir(name: string, owner?: string, ageMs = 0): string {
    const dir = join(root, name);
    mkdirSync(dir);
    if (owner !== undefined) writeFileSync(join(dir, 'owner'), owner);
    const at = (Date.now() - ageMs) / 1000;
    utimesSync(dir, at, at);
    return dir;
  }

  it('records its owner and survives a sweep while the owner runs', () => {
    const dir = createSessionDir('0123456789ab', root);
    assert.equal(readFileSync(join(dir, 'owner'), 'utf8'), `${process.pid} ${processStartTime(process.pid)}\n`);
    assert.deepEqual(sweepStaleSessionDirs(root), []);
    assert.ok(existsSync(dir));
  });

  it('removes the folders of gone owners (a reused pid counts as gone), and unrecorded ones after an hour', () => {
    const reusedPid = sessionDir('mirrord-aaaaaaaaaaaa-AbC123', `${process.pid} 1\n`);
    const deadPid = sessionDir('mirrord-bbbbbbbbbbbb-XyZ789', '2147483646 5\n');
    const oldUnrecorded = sessionDir('mirrord-cccccccccccc-qwerty', undefined, 2 * 60 * 60 * 1000);
    const youngUnrecorded = sessionDir('mirrord-dddddddddddd-asdfgh');
    const live = sessionDir('mirrord-eeeeeeeeeeee-zxcvbn', `${process.pid} ${processStartTime(process.pid)}`);
    const otherName = sessionDir('mirrord-config-123456', '2147483646 5\n', 2 * 60 * 60 * 1000);
    assert.deepEqual(sweepStaleSessionDirs(root).sort(), [reusedPid, deadPid, oldUnrecorded].sort());
    for (const kept of [youngUnrecorded, live, otherName]) assert.ok(existsSync(kept), kept);
  });
});

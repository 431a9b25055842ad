import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { killRecorded, processStartTime } from './process-identity.js';

describe('process identity', () => {
  it('kills a recorded process that still runs, and never one whose start time differs (a reused pid)', async () => {
    const child = spawn('sleep', ['30']);
    const started = processStartTime(child.pid!);
    assert.ok(started && /^\d+$/.test(started), `start time of ${child.pid}: ${started}`);
    assert.deepEqual(killRecorded(new Map([[child.pid!, String(Number(started) + 1)]])), [], 'another start time: left alone');
    assert.equal(child.exitCode, null);
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    assert.deepEqual(killRecorded(new Map([[child.pid!, started!]])), [child.pid]);
    assert.equal(await exited, 'SIGKILL');
    assert.equal(processStartTime(child.pid!), undefined);
  });
});

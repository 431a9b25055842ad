import assert from 'node:assert/strict';
import { inStep, ndjsonProgress, recordingProgress } from './progress.js';

describe('progress', () => {
  it('writes mirrord-style NDJSON, one object per line', () => {
    const lines: string[] = [];
    const progress = ndjsonProgress((l) => lines.push(l), 'mirrord preparing to launch');
    const step = progress.step('resolving target');
    step.done();
    progress.warning('agent is old');
    assert.ok(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n')));
    assert.deepEqual(lines.map((l) => JSON.parse(l)), [
      { type: 'NewTask', name: 'resolving target', parent: 'mirrord preparing to launch' },
      { type: 'FinishedTask', name: 'resolving target', success: true, message: null },
      { type: 'Warning', message: 'agent is old' },
    ]);
  });

  it('finishes a step once, failed with the error sentence when the work throws', async () => {
    const progress = recordingProgress();
    await assert.rejects(inStep(progress, 'starting the agent', async () => {
      throw new Error('The agent image is missing.');
    }));
    assert.deepEqual(progress.events[1], { type: 'FinishedTask', name: 'starting the agent', success: false, message: 'The agent image is missing.' });
    assert.equal(progress.events.length, 2);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORER_SCRIPT } from './restorer-script.js';
import { COPY_OF_LABEL, SCALED_DOWN_ANNOTATION, copyPodSpec, readRecord, refusalSentence, scaledDownReason, type ScaleDownPlan, type ScaleRecord } from './scale-down.js';

const record: ScaleRecord = { replicas: 3, hpa: null, sessionId: 'abc123', by: 'ann@laptop', since: '2026-11-25T17:00:00Z', lease: 'mirrord-ts-scale-abc123', copyPod: 'queue-reader-mirrord-copy-abc123' };

describe('scale-down records and the copy pod', () => {
  it('reads the annotation, ignores a malformed one', () => {
    assert.deepEqual(readRecord({ [SCALED_DOWN_ANNOTATION]: JSON.stringify(record) }), record);
    assert.equal(readRecord({ [SCALED_DOWN_ANNOTATION]: '{not json' }), null);
    assert.equal(readRecord({}), null);
    assert.equal(readRecord(undefined), null);
  });

  it('says who holds a workload and since when', () => {
    assert.equal(refusalSentence('deployment/queue-reader', record), 'deployment/queue-reader is already scaled down by mirrord session abc123 of ann@laptop since 2026-11-25T17:00:00Z, so a second session cannot take it.');
    assert.match(scaledDownReason({ [SCALED_DOWN_ANNOTATION]: JSON.stringify(record) })!, /^it is scaled down \(3 → 0\) by mirrord session abc123 of ann@laptop since 2026-11-25T17:00:00Z; it will be restored when that session ends$/);
    assert.equal(scaledDownReason({ other: 'x' }), undefined);
  });

  it('copies the template with idle containers, no probes, labels the selector does not match, owned by the lease', () => {
    const plan: ScaleDownPlan = { ref: { kind: 'deployment', name: 'queue-reader', namespace: 'ns' }, sessionId: 'abc123', communicationTimeoutSeconds: 10, agentImage: 'agent:1', imagePullPolicy: 'IfNotPresent', excludeContainers: ['sidecar'], excludeInitContainers: ['migrate'] };
    const template = {
      metadata: { labels: { app: 'queue-reader' } },
      spec: {
        serviceAccountName: 'reader-sa',
        initContainers: [{ name: 'migrate', image: 'm' }, { name: 'keep', image: 'k' }],
        containers: [
          { name: 'reader', image: 'r', command: ['/reader'], args: ['-x'], env: [{ name: 'A', value: 'b' }], readinessProbe: { exec: { command: ['true'] } }, livenessProbe: { exec: { command: ['true'] } } },
          { name: 'sidecar', image: 's' },
        ],
      },
    };
    const lease = { metadata: { name: 'mirrord-ts-scale-abc123', uid: 'u-1' } };
    const pod = copyPodSpec(plan, { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template } }, template as never, lease);
    assert.equal(pod.metadata!.labels!.app, undefined);
    assert.equal(pod.metadata!.labels![COPY_OF_LABEL], 'deployment.queue-reader');
    assert.deepEqual(pod.metadata!.ownerReferences!.map((o) => [o.kind, o.name, o.uid]), [['Lease', 'mirrord-ts-scale-abc123', 'u-1']]);
    assert.equal(pod.spec!.serviceAccountName, 'reader-sa');
    assert.deepEqual(pod.spec!.containers.map((c) => c.name), ['reader']);
    const reader = pod.spec!.containers[0]!;
    assert.deepEqual(reader.command, ['/mirrord-ts-idle/busybox', 'sleep', '2147483647']);
    assert.deepEqual(reader.args, []);
    assert.deepEqual(reader.env, [{ name: 'A', value: 'b' }]);
    assert.equal(reader.readinessProbe, undefined);
    assert.equal(reader.livenessProbe, undefined);
    assert.deepEqual(pod.spec!.initContainers!.map((c) => c.name), ['mirrord-ts-idle-setup', 'keep']);
    assert.ok(pod.spec!.volumes!.some((v) => v.name === 'mirrord-ts-idle' && v.emptyDir));
    // The template itself is untouched.
    assert.deepEqual(template.spec.containers[0]!.command, ['/reader']);
  });

  it('the restorer script is valid JavaScript for node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'restorer-'));
    try {
      writeFileSync(join(dir, 'r.cjs'), RESTORER_SCRIPT);
      execFileSync(process.execPath, ['--check', join(dir, 'r.cjs')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

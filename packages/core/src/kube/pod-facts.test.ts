import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { byPreference, chooseContainer, podState, runningContainerId, selectorString } from './pod-facts.js';

function pod(overrides: { name?: string; containers?: string[]; phase?: string; ready?: boolean; created?: string; deleting?: boolean; running?: Record<string, string> } = {}): V1Pod {
  const containers = overrides.containers ?? ['app'];
  return {
    metadata: { name: overrides.name ?? 'p', creationTimestamp: new Date(overrides.created ?? '2026-01-01T00:00:00Z'), ...(overrides.deleting ? { deletionTimestamp: new Date() } : {}) },
    spec: { containers: containers.map((name) => ({ name })) },
    status: {
      phase: overrides.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: overrides.ready === false ? 'False' : 'True' }],
      containerStatuses: Object.entries(overrides.running ?? {}).map(([name, id]) => ({ name, containerID: id, state: { running: {} }, ready: true, restartCount: 0, image: 'x', imageID: 'x' })),
    },
  };
}

describe('pod facts', () => {
  it('turns label selectors into the list-call form', () => {
    assert.equal(selectorString({ matchLabels: { app: 'echo', tier: 'web' } }), 'app=echo,tier=web');
    assert.equal(
      selectorString({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }, { key: 'b', operator: 'NotIn', values: ['z'] }, { key: 'c', operator: 'Exists' }, { key: 'd', operator: 'DoesNotExist' }] }),
      'a in (x,y),b notin (z),c,!d',
    );
    assert.equal(selectorString({}), undefined);
    assert.equal(selectorString(undefined), undefined);
  });

  it('tells ready pods from others, with the reason', () => {
    assert.deepEqual(podState(pod()), { ready: true });
    assert.deepEqual(podState(pod({ phase: 'Pending' })), { ready: false, reason: 'it is Pending' });
    assert.deepEqual(podState(pod({ ready: false })), { ready: false, reason: 'it is not Ready' });
    assert.deepEqual(podState(pod({ deleting: true })), { ready: false, reason: 'it is terminating' });
  });

  it('chooses the only container, skipping mesh sidecars', () => {
    assert.deepEqual(chooseContainer(pod({ containers: ['istio-proxy', 'app'] }), null, 'deployment/x'), { ok: true, container: 'app' });
  });

  it('asks to name a container when there are several, listing them', () => {
    const choice = chooseContainer(pod({ containers: ['app', 'sidecar'] }), null, 'deployment/x');
    assert.equal(choice.ok, false);
    if (!choice.ok) {
      assert.match(choice.reason, /2 containers \(app, sidecar\)/);
      assert.match(choice.help, /deployment\/x\/container\/app, deployment\/x\/container\/sidecar/);
    }
  });

  it('accepts a named container and names the real ones when it is wrong', () => {
    assert.deepEqual(chooseContainer(pod({ containers: ['app', 'sidecar'] }), 'sidecar', 'pod/p'), { ok: true, container: 'sidecar' });
    const wrong = chooseContainer(pod({ containers: ['app'] }), 'nope', 'pod/p');
    assert.equal(wrong.ok, false);
    if (!wrong.ok) assert.match(wrong.reason, /no container "nope" \(it has app\)/);
  });

  it('reads the runtime id of a running container', () => {
    assert.equal(runningContainerId(pod({ running: { app: 'containerd://abc123' } }), 'app'), 'abc123');
    assert.equal(runningContainerId(pod(), 'app'), undefined);
  });

  it('prefers ready pods, then older ones', () => {
    const pods = [pod({ name: 'young', created: '2026-02-01T00:00:00Z' }), pod({ name: 'notready', ready: false, created: '2025-01-01T00:00:00Z' }), pod({ name: 'old', created: '2026-01-01T00:00:00Z' })];
    assert.deepEqual(pods.sort(byPreference).map((p) => p.metadata?.name), ['old', 'young', 'notready']);
  });
});

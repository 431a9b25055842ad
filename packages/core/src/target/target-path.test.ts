import assert from 'node:assert/strict';
import { TARGET_KINDS, formatTargetPath, parseTargetPath } from './target-path.js';

describe('target paths', () => {
  it('parses every kind with and without a container, and round-trips', () => {
    for (const kind of TARGET_KINDS) {
      for (const text of [`${kind}/my-app`, `${kind}/my-app/container/main`]) {
        const parsed = parseTargetPath(text);
        assert.ok(parsed.ok, text);
        assert.equal(formatTargetPath(parsed.target), text);
      }
    }
  });

  it('accepts targetless and the deploy alias', () => {
    assert.deepEqual(parseTargetPath('targetless'), { ok: true, target: { kind: 'targetless' } });
    assert.deepEqual(parseTargetPath('deploy/api'), { ok: true, target: { kind: 'deployment', name: 'api', container: null } });
  });

  const bad: [string, RegExp][] = [
    ['api', /has no kind; did you mean `pod\/api`/],
    ['pods/api', /not a target kind/],
    ['deployment/', /has no name/],
    ['deployment/API', /not a valid Kubernetes object name/],
    ['deployment/api/container', /only `\/container\/<name>` may follow/],
    ['deployment/api/sidecar/x', /only `\/container\/<name>` may follow/],
    ['pod/a/container/B_C', /not a valid container name/],
    ['', /has no kind/],
  ];
  for (const [text, reason] of bad) {
    it(`rejects "${text}" with a reason`, () => {
      const parsed = parseTargetPath(text);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.reason, reason);
    });
  }
});

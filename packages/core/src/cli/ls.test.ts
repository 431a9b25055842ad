import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import type { TargetListing } from '../kube/targets.js';
import { kindsToList, lsDocument } from './ls.js';

const listing: TargetListing = {
  currentNamespace: 'shop',
  namespaces: ['default', 'shop'],
  targets: [
    { path: 'deployment/echo', kind: 'deployment', namespace: 'shop', available: true },
    { path: 'deployment/idle', kind: 'deployment', namespace: 'shop', available: false, reason: 'it is scaled to 0 replicas' },
  ],
};

describe('ls output', () => {
  it('rich form has exactly the three keys mirrord\'s plugins look for', () => {
    assert.deepEqual(lsDocument(listing, 'rich'), {
      targets: [
        { path: 'deployment/echo', available: true },
        { path: 'deployment/idle', available: false },
      ],
      current_namespace: 'shop',
      namespaces: ['default', 'shop'],
    });
  });

  it('legacy form is the array of usable paths', () => assert.deepEqual(lsDocument(listing, 'legacy'), ['deployment/echo']));

  it('verbose form keeps the reasons', () => {
    const doc = lsDocument(listing, 'verbose') as { targets: { reason?: string }[] };
    assert.equal(doc.targets[1]?.reason, 'it is scaled to 0 replicas');
  });

  it('takes kinds from -t, else from MIRRORD_LS_TARGET_TYPES', () => {
    assert.deepEqual(kindsToList(['pod'], { MIRRORD_LS_TARGET_TYPES: '["deployment"]' }), ['pod']);
    assert.deepEqual(kindsToList(undefined, { MIRRORD_LS_TARGET_TYPES: '["deployment","rollout","pod"]' }), ['deployment', 'rollout', 'pod']);
    assert.equal(kindsToList(undefined, {}), undefined);
    assert.throws(() => kindsToList(undefined, { MIRRORD_LS_TARGET_TYPES: 'pod' }), ConfigError);
    assert.throws(() => kindsToList(['pods'], {}), ConfigError);
  });
});

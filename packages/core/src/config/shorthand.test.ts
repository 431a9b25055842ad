/** Every shorthand form mirrord accepts expands to the same object as its long form. */
import assert from 'node:assert/strict';
import { parseConfigText } from './load.js';
import type { MirrordConfig } from './definition.js';

function load(json: unknown): MirrordConfig {
  return parseConfigText(JSON.stringify(json), 'json', 'test.json', { env: {} }).config;
}

function sameAs(short: unknown, long: unknown): void {
  assert.deepEqual(load(short), load(long));
}

describe('config shorthands', () => {
  it('target: string ≡ { path }', () => sameAs({ target: 'deployment/api' }, { target: { path: 'deployment/api' } }));
  it('target: object form ≡ string path', () => sameAs({ target: { deployment: 'api', container: 'app' } }, { target: 'deployment/api/container/app' }));
  it('target.path: object form ≡ string path', () => sameAs({ target: { path: { pod: 'p' }, namespace: 'n' } }, { target: { path: 'pod/p', namespace: 'n' } }));
  it('feature.env: true ≡ {}', () => sameAs({ feature: { env: true } }, { feature: { env: {} } }));
  it('feature.env: false disables it', () => assert.equal(load({ feature: { env: false } }).feature.env.enabled, false));
  it('feature.env.include: "A;B" ≡ ["A", "B"]', () => sameAs({ feature: { env: { include: 'A; B' } } }, { feature: { env: { include: ['A', 'B'] } } }));
  it('feature.env.unset: "X" ≡ ["X"]', () => sameAs({ feature: { env: { unset: 'X' } } }, { feature: { env: { unset: ['X'] } } }));
  it('feature.fs: true ≡ "read"', () => sameAs({ feature: { fs: true } }, { feature: { fs: 'read' } }));
  it('feature.fs: false ≡ "local"', () => sameAs({ feature: { fs: false } }, { feature: { fs: 'local' } }));
  it('feature.fs: "write" ≡ { mode: "write" }', () => sameAs({ feature: { fs: 'write' } }, { feature: { fs: { mode: 'write' } } }));
  it('feature.fs.read_only: "x" ≡ ["x"]', () => sameAs({ feature: { fs: { read_only: '^/etc/x' } } }, { feature: { fs: { read_only: ['^/etc/x'] } } }));
  it('feature.network: true ≡ {}', () => sameAs({ feature: { network: true } }, { feature: { network: {} } }));
  it('feature.network: false turns incoming, outgoing and DNS off', () =>
    sameAs({ feature: { network: false } }, { feature: { network: { incoming: 'off', outgoing: false, dns: false } } }));
  it('feature.network.incoming: "steal" ≡ { mode: "steal" }', () =>
    sameAs({ feature: { network: { incoming: 'steal' } } }, { feature: { network: { incoming: { mode: 'steal' } } } }));
  it('feature.network.incoming: true ≡ "mirror"', () => sameAs({ feature: { network: { incoming: true } } }, { feature: { network: { incoming: 'mirror' } } }));
  it('feature.network.incoming: false ≡ "off"', () => sameAs({ feature: { network: { incoming: false } } }, { feature: { network: { incoming: 'off' } } }));
  it('feature.network.outgoing: false ≡ { tcp: false, udp: false }', () =>
    sameAs({ feature: { network: { outgoing: false } } }, { feature: { network: { outgoing: { tcp: false, udp: false } } } }));
  it('feature.network.outgoing: "local" ≡ false', () => sameAs({ feature: { network: { outgoing: 'local' } } }, { feature: { network: { outgoing: false } } }));
  it('feature.network.outgoing.filter.local: "x" ≡ ["x"]', () =>
    sameAs({ feature: { network: { outgoing: { filter: { local: ':53' } } } } }, { feature: { network: { outgoing: { filter: { local: [':53'] } } } } }));
  it('feature.network.outgoing.unix_streams: "x" ≡ ["x"]', () =>
    sameAs({ feature: { network: { outgoing: { unix_streams: 'bear.+' } } } }, { feature: { network: { outgoing: { unix_streams: ['bear.+'] } } } }));
  it('feature.network.dns: false ≡ { enabled: false }', () => sameAs({ feature: { network: { dns: false } } }, { feature: { network: { dns: { enabled: false } } } }));
  it('feature.copy_target: true ≡ { enabled: true }', () => sameAs({ feature: { copy_target: true } }, { feature: { copy_target: { enabled: true } } }));
  it('feature.copy_target: { scale_down } implies enabled', () => assert.equal(load({ feature: { copy_target: { scale_down: true } } }).feature.copy_target.enabled, true));
  it('skip_processes: "a;b" ≡ ["a", "b"]', () => sameAs({ skip_processes: 'a;b' }, { skip_processes: ['a', 'b'] }));
  it('skip_extra_build_tools: "x" ≡ ["x"]', () => sameAs({ skip_extra_build_tools: 'bash' }, { skip_extra_build_tools: ['bash'] }));
  it('agent.image: { registry, tag } ≡ "registry:tag"', () => sameAs({ agent: { image: { registry: 'r/a', tag: '1' } } }, { agent: { image: 'r/a:1' } }));
  it('null means "unset" (mirrord\'s Option keys)', () => sameAs({ feature: { fs: null, env: null }, agent: { namespace: null } }, {}));

  it('defaults follow mirrord', () => {
    const c = load({});
    assert.equal(c.target.path, null);
    assert.equal(c.feature.network.incoming.mode, 'mirror');
    assert.equal(c.feature.fs.mode, 'read');
    assert.equal(c.feature.env.enabled, true);
    assert.equal(c.feature.network.dns.enabled, true);
    assert.equal(c.agent.communication_timeout, 30);
    assert.equal(c.agent.ttl, 1);
    assert.equal(c.agent.ephemeral, false);
    assert.equal(c.internal_proxy.start_idle_timeout, 60);
    assert.equal(c.internal_proxy.idle_timeout, 5);
    assert.equal(c.pause, false);
    assert.equal(c.feature.copy_target.enabled, false);
  });
});

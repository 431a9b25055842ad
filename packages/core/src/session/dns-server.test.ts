import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';
import { DnsServer, firstNameserver, type HostLookup } from './dns-server.js';

/** Stands in for the agent: a fixed table of what the pod resolves. */
const podNames: HostLookup = {
  async lookup(name, family) {
    const table: Record<string, string[]> = { echo: ['10.96.7.7'], 'echo.shop.svc.cluster.local': ['10.96.7.7'], v6: ['fd00::7'] };
    if (name === 'broken') return { failed: 'ETIMEOUT' };
    const found = table[name];
    if (!found) return { notFound: true };
    return { addresses: found.filter((ip) => (family === 6) === ip.includes(':')) };
  },
};

describe('session DNS server', () => {
  let server: DnsServer;
  let resolver: Resolver;
  before(async () => {
    server = new DnsServer({ remote: podNames, resolveLocally: (n) => n.endsWith('.local-only'), upstream: null });
    await server.start();
    resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${server.port}`]);
  });
  after(() => server.close());

  it('answers A questions as the pod resolves them, over UDP', async () => {
    assert.deepEqual(await resolver.resolve4('echo'), ['10.96.7.7']);
    assert.deepEqual(await resolver.resolve6('v6'), ['fd00::7']);
  });

  it('NXDOMAIN for names the pod does not know, SERVFAIL when the look-up fails', async () => {
    await assert.rejects(resolver.resolve4('nope'), (e: NodeJS.ErrnoException) => e.code === 'ENOTFOUND');
    await assert.rejects(resolver.resolve4('broken'), (e: NodeJS.ErrnoException) => e.code === 'ESERVFAIL');
  });

  it('answers over TCP with length-prefixed messages', async () => {
    const socket = connect(server.port, '127.0.0.1');
    const query = dnsPacket.streamEncode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'echo.shop.svc.cluster.local', class: 'IN' }] });
    socket.write(query);
    const reply = await new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.destroy();
    const decoded = dnsPacket.streamDecode(reply);
    assert.equal(decoded.id, 7);
    assert.deepEqual(decoded.answers?.map((a) => ('data' in a ? a.data : undefined)), ['10.96.7.7']);
  });

  it('remembers which names an address was given for', async () => {
    await resolver.resolve4('echo');
    assert.ok(server.namesOf('10.96.7.7')?.has('echo'));
  });

  it('local names without an upstream get SERVFAIL, never a remote answer', async () => {
    await assert.rejects(resolver.resolve4('x.local-only'), (e: NodeJS.ErrnoException) => e.code === 'ESERVFAIL');
  });

  it('reads the first nameserver of a resolv.conf', () => {
    assert.deepEqual(firstNameserver('search a\nnameserver 10.255.255.53\nnameserver 1.1.1.1\n'), { ip: '10.255.255.53', port: 53 });
    assert.equal(firstNameserver('search a\n'), null);
  });
});

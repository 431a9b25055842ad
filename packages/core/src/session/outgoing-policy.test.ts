import assert from 'node:assert/strict';
import { valueOf } from '../config/dsl.js';
import { configType } from '../config/definition.js';
import { routeOutgoing, type Destination } from './outgoing-policy.js';

function outgoing(value: unknown) {
  return valueOf(configType, { feature: { network: { outgoing: value } } }).feature.network.outgoing;
}
const to = (ip: string, port: number, protocol: 'tcp' | 'udp' = 'tcp'): Destination => ({ ip, port, protocol });
const noNames = () => undefined;

describe('outgoing routing', () => {
  it('sends everything but loopback remote by default', () => {
    assert.equal(routeOutgoing(outgoing(true), to('10.96.0.10', 80), noNames), 'remote');
    assert.equal(routeOutgoing(outgoing(true), to('127.0.0.1', 5432), noNames), 'local');
    assert.equal(routeOutgoing(outgoing(true), to('::ffff:127.0.0.1', 5432), noNames), 'local');
  });

  it('keeps a protocol local when it is turned off', () => {
    const cfg = outgoing({ udp: false });
    assert.equal(routeOutgoing(cfg, to('10.0.0.1', 53, 'udp'), noNames), 'local');
    assert.equal(routeOutgoing(cfg, to('10.0.0.1', 53, 'tcp'), noNames), 'remote');
  });

  it('local filter: listed subnets, ports and protocols stay local', () => {
    const cfg = outgoing({ filter: { local: ['tcp://1.1.1.0/24:1337', '1.1.5.0/24', ':53'] } });
    assert.equal(routeOutgoing(cfg, to('1.1.1.9', 1337), noNames), 'local');
    assert.equal(routeOutgoing(cfg, to('1.1.1.9', 1337, 'udp'), noNames), 'remote');
    assert.equal(routeOutgoing(cfg, to('1.1.5.200', 80), noNames), 'local');
    assert.equal(routeOutgoing(cfg, to('9.9.9.9', 53, 'udp'), noNames), 'local');
    assert.equal(routeOutgoing(cfg, to('9.9.9.9', 443), noNames), 'remote');
  });

  it('remote filter: only listed names go remote, by the addresses DNS gave for them', () => {
    const cfg = outgoing({ filter: { remote: ['echo.shop.svc.cluster.local:80'] } });
    const namesOf = (ip: string) => (ip === '10.96.1.2' ? new Set(['echo.shop.svc.cluster.local']) : undefined);
    assert.equal(routeOutgoing(cfg, to('10.96.1.2', 80), namesOf), 'remote');
    assert.equal(routeOutgoing(cfg, to('10.96.1.2', 81), namesOf), 'local');
    assert.equal(routeOutgoing(cfg, to('10.96.9.9', 80), namesOf), 'local');
  });

  it('IPv6 subnets', () => {
    const cfg = outgoing({ filter: { local: ['fd00::/8'] } });
    assert.equal(routeOutgoing(cfg, to('fd00::1', 80), noNames), 'local');
    assert.equal(routeOutgoing(cfg, to('2001:db8::1', 80), noNames), 'remote');
  });
});

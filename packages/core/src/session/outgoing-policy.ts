/**
 * Where an outgoing connection or datagram goes: through the agent ("remote") or straight
 * from this machine ("local"), by mirrord's `feature.network.outgoing` rules. Names in filters
 * match the addresses the session's DNS answered for them (and `localhost` matches loopback).
 */
import { BlockList, isIPv4 } from 'node:net';
import type { AddressFilter } from '../config/address-filter.js';
import type { OutgoingConfig } from '../config/definition.js';

export type Protocol = 'tcp' | 'udp';
export type Route = 'remote' | 'local';

export interface Destination {
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** Which names an address was given for by the session's DNS (lower-case, no trailing dot). */
export type NamesOf = (ip: string) => ReadonlySet<string> | undefined;

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}

function entryMatches(entry: AddressFilter, destination: Destination, namesOf: NamesOf): boolean {
  if (entry.protocol && entry.protocol !== destination.protocol) return false;
  if (entry.port !== null && entry.port !== destination.port) return false;
  if (!entry.host) return true;
  if (entry.host.kind === 'subnet') {
    const list = new BlockList();
    const type = isIPv4(entry.host.address) ? 'ipv4' : 'ipv6';
    list.addSubnet(entry.host.address, entry.host.prefix, type);
    const ip = destination.ip.startsWith('::ffff:') && type === 'ipv4' ? destination.ip.slice(7) : destination.ip;
    try {
      return list.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
  }
  const name = entry.host.name.replace(/\.$/, '');
  if (name === 'localhost') return isLoopback(destination.ip);
  return namesOf(destination.ip)?.has(name) ?? false;
}

export function routeOutgoing(config: OutgoingConfig, destination: Destination, namesOf: NamesOf): Route {
  if (destination.protocol === 'tcp' ? !config.tcp : !config.udp) return 'local';
  // Loopback always stays local (debuggers, IDE helpers, local databases): the layer passes
  // it natively, so `ignore_localhost: false` cannot send it to the pod here.
  if (isLoopback(destination.ip)) return 'local';
  const filter = config.filter;
  if (!filter) return 'remote';
  const matched = filter.entries.some((entry) => entryMatches(entry, destination, namesOf));
  if (filter.mode === 'local') return matched ? 'local' : 'remote';
  return matched ? 'remote' : 'local';
}

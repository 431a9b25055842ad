/**
 * mirrord's outgoing/DNS filter entries: `[protocol://][name|address|subnet/mask][:port]`,
 * e.g. `tcp://1.1.1.0/24:1337`, `google.com`, `:53`, `[::1]:80`.
 */
import { isIP } from 'node:net';

export interface AddressFilter {
  readonly protocol: 'tcp' | 'udp' | null;
  readonly host: { readonly kind: 'name'; readonly name: string } | { readonly kind: 'subnet'; readonly address: string; readonly prefix: number } | null;
  readonly port: number | null;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?$/;

export type AddressFilterResult = { ok: true; filter: AddressFilter } | { ok: false; reason: string };

export function parseAddressFilter(input: string): AddressFilterResult {
  let rest = input.trim();
  let protocol: AddressFilter['protocol'] = null;
  const scheme = /^([a-z]+):\/\//i.exec(rest);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (name !== 'tcp' && name !== 'udp') return { ok: false, reason: `uses protocol "${scheme[1]}", but only tcp:// and udp:// exist` };
    protocol = name;
    rest = rest.slice(scheme[0].length);
  }
  let port: number | null = null;
  let hostText = rest;
  const bracketed = /^\[([^\]]+)\](\/\d+)?(?::(\d+))?$/.exec(rest);
  if (bracketed) {
    hostText = bracketed[1]! + (bracketed[2] ?? '');
    if (bracketed[3] !== undefined) port = Number(bracketed[3]);
  } else {
    const colon = rest.lastIndexOf(':');
    // More than one colon without brackets is a bare IPv6 address (no port).
    if (colon >= 0 && rest.indexOf(':') === colon) {
      hostText = rest.slice(0, colon);
      const portText = rest.slice(colon + 1);
      if (!/^\d{1,5}$/.test(portText)) return { ok: false, reason: `has port "${portText}", which is not a number` };
      port = Number(portText);
    }
  }
  if (port !== null && (port < 0 || port > 65535)) return { ok: false, reason: `has port ${port}, outside 0–65535` };
  if (hostText === '') {
    if (port === null) return { ok: false, reason: 'names neither an address nor a port' };
    return { ok: true, filter: { protocol, host: null, port } };
  }
  const slash = hostText.indexOf('/');
  const address = slash >= 0 ? hostText.slice(0, slash) : hostText;
  const family = isIP(address);
  if (family !== 0) {
    const max = family === 4 ? 32 : 128;
    const prefix = slash >= 0 ? Number(hostText.slice(slash + 1)) : max;
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return { ok: false, reason: `has subnet mask "${hostText.slice(slash + 1)}", which must be 0–${max}` };
    return { ok: true, filter: { protocol, host: { kind: 'subnet', address, prefix }, port } };
  }
  if (slash >= 0) return { ok: false, reason: `has subnet "${hostText}", but "${address}" is not an IP address` };
  if (!HOSTNAME.test(hostText)) return { ok: false, reason: `has "${hostText}", which is neither an IP address nor a host name` };
  return { ok: true, filter: { protocol, host: { kind: 'name', name: hostText.toLowerCase() }, port } };
}

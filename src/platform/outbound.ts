import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Requests to addresses that tenant staff type in (a Mastodon instance, a webhook): one
 * tenant's editor must not be able to make the server call the installation's own
 * network (databases, admin ports, cloud metadata at 169.254.169.254) and read the answer
 * off the delivery status. In production (OUTBOUND_ALLOW_PRIVATE off) such URLs must be
 * https and every address their host resolves to must be public.
 *
 * Known gap: the check resolves the name before the request, and the request resolves it
 * again; a DNS server that answers differently the second time (DNS rebinding) gets
 * through. Redirects are never followed by the callers (fetch with redirect 'error' or
 * 'manual').
 */

export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

const notPublic = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  notPublic.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 of IPv4 (checked as IPv4 below)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  notPublic.addSubnet(net, bits, 'ipv6');

/** True when the address is reachable on the public internet (not loopback, private, link-local …). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !notPublic.check(address, 'ipv4');
  if (family !== 6) return false;
  const lower = address.toLowerCase();
  // IPv4 inside IPv6 (::ffff:10.0.0.1, 64:ff9b::10.0.0.1): the IPv4 address decides.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (embedded) return isPublicAddress(embedded);
  return !notPublic.check(lower, 'ipv6');
}

/**
 * Throws OutboundRefused unless the URL is https and its host (a name, resolved now, or a
 * literal address) is public. allowPrivate (development, tests) lets anything through.
 */
export async function assertPublicUrl(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new OutboundRefused('not a URL');
  }
  if (u.protocol !== 'https:') throw new OutboundRefused('only https addresses are allowed');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new OutboundRefused(`the host ${host} does not resolve`);
    }
  }
  if (!addresses.length || !addresses.every(isPublicAddress)) throw new OutboundRefused(`the host ${host} is not a public address`);
}

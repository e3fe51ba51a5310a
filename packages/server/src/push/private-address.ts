import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { ChatError } from '../chat/chat-error.ts';

/**
 * Addresses a push endpoint may not point to: loopback, private, link-local,
 * carrier-grade NAT, unspecified, multicast and reserved ranges, in IPv4
 * and IPv6 (an IPv4-mapped IPv6 address is checked as the IPv4 one). A
 * subscription is a URL the server will POST to: without this, any user
 * could make it call into the server's own network.
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b:1::', 48],
  ['100::', 64],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1] as string);
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

/** Every address a host name resolves to (an IP literal is its own). */
export async function addressesOf(hostname: string): Promise<string[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return [host];
  return new Promise((resolve, reject) =>
    lookup(host, { all: true, verbatim: true } satisfies LookupAllOptions, (err, found: LookupAddress[]) =>
      err ? reject(err) : resolve(found.map((a) => a.address)),
    ),
  );
}

/**
 * A push endpoint the server may post to: https, and (unless allowed, for
 * tests) a host that resolves to public addresses only. bad_request else.
 */
export async function assertPushEndpoint(endpoint: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ChatError('bad_request', 'endpoint: not a URL');
  }
  if (url.protocol !== 'https:') throw new ChatError('bad_request', 'endpoint: a push endpoint is https');
  if (url.username || url.password) throw new ChatError('bad_request', 'endpoint: no credentials in the URL');
  if (allowPrivate) return url;
  let addresses: string[];
  try {
    addresses = await addressesOf(url.hostname);
  } catch {
    throw new ChatError('bad_request', 'endpoint: its host does not resolve');
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new ChatError('bad_request', 'endpoint: a push endpoint may not be a loopback or private address');
  }
  return url;
}

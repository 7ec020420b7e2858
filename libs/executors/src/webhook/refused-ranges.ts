import { BlockList } from 'node:net';

import { ipv6Hextets, lowIPv4, sixToFourIPv4 } from './ipv6-hextets.js';

/**
 * The addresses a webhook may not reach unless FLOWLINE_EGRESS_ALLOW says
 * so: everything that is not the public internet. A webhook URL is written
 * by whoever writes the workflow (or fills its inputs), and the request
 * leaves from the worker, which can reach the metadata service, loopback
 * admin ports and the private network: the classic SSRF.
 */

interface Range {
  readonly reason: string;
  readonly list: BlockList;
}

function range(cidr: string, what: string): Range {
  const [network = '', prefix = ''] = cidr.split('/');
  const family = network.includes(':') ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), family);
  return { reason: `${what} (${cidr})`, list };
}

// First match wins, so the narrow ranges (metadata) come before the wide ones.
const IPV4_RANGES: readonly Range[] = [
  range('169.254.169.254/32', 'the cloud metadata address'),
  range('169.254.170.2/32', 'the cloud metadata address (ECS task credentials)'),
  range('100.100.100.200/32', 'the cloud metadata address (Alibaba)'),
  range('0.0.0.0/8', 'an unspecified address'),
  range('127.0.0.0/8', 'a loopback address'),
  range('10.0.0.0/8', 'a private address'),
  range('172.16.0.0/12', 'a private address'),
  range('192.168.0.0/16', 'a private address'),
  range('100.64.0.0/10', 'a carrier-grade NAT address'),
  range('169.254.0.0/16', 'a link-local address'),
  range('192.0.0.0/24', 'an IETF protocol address'),
  range('192.0.2.0/24', 'a documentation address'),
  range('198.51.100.0/24', 'a documentation address'),
  range('203.0.113.0/24', 'a documentation address'),
  range('198.18.0.0/15', 'a benchmarking address'),
  range('192.88.99.0/24', 'a 6to4 relay address'),
  range('224.0.0.0/4', 'a multicast address'),
  range('240.0.0.0/4', 'a reserved address'),
];

const IPV6_RANGES: readonly Range[] = [
  range('fd00:ec2::254/128', 'the cloud metadata address (AWS)'),
  range('::/128', 'the unspecified address'),
  range('::1/128', 'the loopback address'),
  // Node connects to the embedded IPv4 address: `[::ffff:127.0.0.1]` is loopback in disguise.
  range('::ffff:0:0/96', 'an IPv4-mapped address'),
  range('64:ff9b:1::/48', 'a local-use NAT64 address'),
  range('100::/64', 'a discard-only address'),
  range('2001::/32', 'a Teredo tunnel address'),
  range('2001:2::/48', 'a benchmarking address'),
  range('2001:db8::/32', 'a documentation address'),
  range('fe80::/10', 'a link-local address'),
  range('fc00::/7', 'a unique-local (private) address'),
  range('ff00::/8', 'a multicast address'),
];

// Prefixes that carry an IPv4 address inside: judged by the address they carry.
const NAT64 = range('64:ff9b::/96', 'NAT64');
const SIX_TO_FOUR = range('2002::/16', '6to4');
const GLOBAL_UNICAST = range('2000::/3', 'global unicast');

/** Why `address` (an IP literal without a zone) is refused by default, or undefined when it is public. */
export function defaultRefusal(address: string): string | undefined {
  return address.includes(':') ? ipv6Refusal(address) : ipv4Refusal(address);
}

function ipv4Refusal(address: string): string | undefined {
  return IPV4_RANGES.find((r) => r.list.check(address, 'ipv4'))?.reason;
}

function ipv6Refusal(address: string): string | undefined {
  const named = IPV6_RANGES.find((r) => r.list.check(address, 'ipv6'));
  if (named !== undefined) return named.reason;
  const hextets = ipv6Hextets(address) ?? [];
  if (NAT64.list.check(address, 'ipv6')) return embeddedRefusal('a NAT64 address', lowIPv4(hextets));
  if (SIX_TO_FOUR.list.check(address, 'ipv6')) return embeddedRefusal('a 6to4 address', sixToFourIPv4(hextets));
  if (!GLOBAL_UNICAST.list.check(address, 'ipv6')) return 'not a global unicast address (outside 2000::/3)';
  return undefined;
}

function embeddedRefusal(what: string, ipv4: string): string | undefined {
  const inner = ipv4Refusal(ipv4);
  return inner === undefined ? undefined : `${what} embedding ${ipv4}, ${inner}`;
}

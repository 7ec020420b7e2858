import { BlockList, isIP } from 'node:net';

import { FlowlineError } from '@flowline/core';

import { defaultRefusal } from './refused-ranges.js';

/**
 * Which addresses a webhook may reach (the SSRF guard). Public addresses
 * are allowed; loopback, private, link-local, unique-local, IPv4-mapped
 * IPv6 and the like are refused unless FLOWLINE_EGRESS_ALLOW lists them.
 */
export interface EgressPolicy {
  /** Undefined when `address` (an IP literal, resolved from `host`) may be reached; else the reason. */
  refusal(host: string, address: string): string | undefined;
}

interface AllowList {
  // One list per family: a BlockList matches IPv4 rules against IPv4-mapped
  // IPv6 addresses (and back), and allowing 127.0.0.1 must not allow
  // [::ffff:127.0.0.1] by the back door.
  readonly ipv4: BlockList;
  readonly ipv6: BlockList;
  readonly hosts: Set<string>;
  /** From `*.example.com` entries: `.example.com`. */
  readonly suffixes: string[];
}

/**
 * Parses FLOWLINE_EGRESS_ALLOW: comma-separated CIDRs (`10.0.0.0/8`,
 * `fd00::/8`), IP addresses and host names (`localhost`, `*.corp.example`).
 * Throws a `bad_config` FlowlineError naming the first bad entry.
 */
export function parseEgressAllow(text: string | undefined): EgressPolicy {
  const allow: AllowList = { ipv4: new BlockList(), ipv6: new BlockList(), hosts: new Set(), suffixes: [] };
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (entry !== '') addEntry(allow, entry);
  }
  return { refusal: (host, address) => refusal(allow, host, address) };
}

function refusal(allow: AllowList, host: string, address: string): string | undefined {
  if (hostAllowed(allow, normalHost(host))) return undefined;
  const ip = withoutZone(unbracketed(address));
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  if (family === 4 ? allow.ipv4.check(ip, 'ipv4') : allow.ipv6.check(ip, 'ipv6')) return undefined;
  return defaultRefusal(ip);
}

function hostAllowed(allow: AllowList, host: string): boolean {
  return allow.hosts.has(host) || allow.suffixes.some((suffix) => host.endsWith(suffix));
}

function addEntry(allow: AllowList, entry: string): void {
  if (entry.includes('/')) return addCidr(allow, entry);
  const ip = unbracketed(entry);
  const family = isIP(ip);
  if (family !== 0) return (family === 4 ? allow.ipv4 : allow.ipv6).addAddress(ip, family === 4 ? 'ipv4' : 'ipv6');
  const host = normalHost(entry);
  if (!isHostPattern(host)) throw badEntry(entry, NOT_AN_ENTRY);
  if (host.startsWith('*.')) allow.suffixes.push(host.slice(1));
  else allow.hosts.add(host);
}

function addCidr(allow: AllowList, entry: string): void {
  const [network = '', prefix = '', ...rest] = entry.split('/');
  const ip = unbracketed(network.trim());
  const family = isIP(ip);
  if (family === 0) throw badEntry(entry, NOT_AN_ENTRY);
  if (rest.length > 0) throw badEntry(entry, 'is not a CIDR (address/prefix)');
  const bits = family === 4 ? 32 : 128;
  const length = Number(prefix.trim());
  if (!/^\d+$/.test(prefix.trim()) || length > bits) throw badEntry(entry, `has a prefix that is not 0–${bits}`);
  if (family === 4) allow.ipv4.addSubnet(ip, length, 'ipv4');
  else allow.ipv6.addSubnet(ip, length, 'ipv6');
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** A host name, or `*.` and one; an all-digit last label is a mistyped IP address, not a name. */
function isHostPattern(host: string): boolean {
  const name = host.startsWith('*.') ? host.slice(2) : host;
  const labels = name.split('.');
  return name.length <= 253 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1) ?? '');
}

/** Host names compare case-insensitively and without the root's trailing dot. */
function normalHost(host: string): string {
  return unbracketed(host).toLowerCase().replace(/\.$/, '');
}

function unbracketed(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}

function withoutZone(address: string): string {
  const percent = address.indexOf('%');
  return percent === -1 ? address : address.slice(0, percent);
}

const NOT_AN_ENTRY = 'is not a CIDR, an IP address or a host name';

function badEntry(entry: string, problem: string): FlowlineError {
  return new FlowlineError('bad_config', `FLOWLINE_EGRESS_ALLOW: "${entry}" ${problem}`);
}

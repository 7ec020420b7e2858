import { describe, expect, it } from '@jest/globals';

import { FlowlineError } from '@flowline/core';

import { parseEgressAllow } from './egress-policy.js';

const none = parseEgressAllow(undefined);
const refusal = (address: string, host = address) => none.refusal(host, address);

describe('the default egress policy', () => {
  it.each([
    ['127.0.0.1', 'a loopback address (127.0.0.0/8)'],
    ['127.255.0.9', 'a loopback address (127.0.0.0/8)'],
    ['0.0.0.0', 'an unspecified address (0.0.0.0/8)'],
    ['10.0.0.1', 'a private address (10.0.0.0/8)'],
    ['172.16.0.1', 'a private address (172.16.0.0/12)'],
    ['172.31.255.255', 'a private address (172.16.0.0/12)'],
    ['192.168.1.1', 'a private address (192.168.0.0/16)'],
    ['100.64.0.1', 'a carrier-grade NAT address (100.64.0.0/10)'],
    ['169.254.169.254', 'the cloud metadata address (169.254.169.254/32)'],
    ['169.254.1.1', 'a link-local address (169.254.0.0/16)'],
    ['192.0.2.7', 'a documentation address (192.0.2.0/24)'],
    ['198.18.0.1', 'a benchmarking address (198.18.0.0/15)'],
    ['224.0.0.251', 'a multicast address (224.0.0.0/4)'],
    ['255.255.255.255', 'a reserved address (240.0.0.0/4)'],
    ['::1', 'the loopback address (::1/128)'],
    ['::', 'the unspecified address (::/128)'],
    ['fe80::1', 'a link-local address (fe80::/10)'],
    ['fd12:3456::1', 'a unique-local (private) address (fc00::/7)'],
    ['fd00:ec2::254', 'the cloud metadata address (AWS) (fd00:ec2::254/128)'],
    ['ff02::1', 'a multicast address (ff00::/8)'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped address (::ffff:0:0/96)'],
    ['::ffff:8.8.8.8', 'an IPv4-mapped address (::ffff:0:0/96)'],
    ['2001:db8::1', 'a documentation address (2001:db8::/32)'],
    ['2001::1', 'a Teredo tunnel address (2001::/32)'],
  ])('refuses %s: %s', (address, reason) => {
    expect(refusal(address)).toBe(reason);
  });

  it('judges NAT64 and 6to4 addresses by the IPv4 address they carry', () => {
    expect(refusal('64:ff9b::a00:1')).toBe('a NAT64 address embedding 10.0.0.1, a private address (10.0.0.0/8)');
    expect(refusal('64:ff9b::169.254.169.254')).toMatch(/embedding 169\.254\.169\.254, the cloud metadata address/);
    expect(refusal('2002:7f00:1::1')).toBe('a 6to4 address embedding 127.0.0.1, a loopback address (127.0.0.0/8)');
    expect(refusal('64:ff9b::808:808')).toBeUndefined();
    expect(refusal('2002:808:808::1')).toBeUndefined();
  });

  it('refuses IPv6 outside global unicast that no named range covers (IPv4-compatible, discard)', () => {
    expect(refusal('::7f00:1')).toBe('not a global unicast address (outside 2000::/3)');
    expect(refusal('100::1')).toBe('a discard-only address (100::/64)');
  });

  it('allows public addresses, IPv4 and IPv6', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111']) {
      expect(refusal(address, 'example.com')).toBeUndefined();
    }
  });

  it('ignores an IPv6 zone and refuses what is not an IP address at all', () => {
    expect(refusal('fe80::1%eth0')).toBe('a link-local address (fe80::/10)');
    expect(refusal('example.com')).toBe('not an IP address');
  });
});

describe('parseEgressAllow', () => {
  it('allows IPv4 CIDRs and addresses, and only those', () => {
    const policy = parseEgressAllow('10.1.0.0/16, 127.0.0.1');
    expect(policy.refusal('h', '10.1.200.3')).toBeUndefined();
    expect(policy.refusal('h', '127.0.0.1')).toBeUndefined();
    expect(policy.refusal('h', '10.2.0.1')).toMatch(/private/);
    expect(policy.refusal('h', '127.0.0.2')).toMatch(/loopback/);
  });

  it('allows IPv6 CIDRs and addresses, bracketed or not', () => {
    const policy = parseEgressAllow('fd00:1::/32,[::1]');
    expect(policy.refusal('h', 'fd00:1:ffff::9')).toBeUndefined();
    expect(policy.refusal('h', '::1')).toBeUndefined();
    expect(policy.refusal('h', 'fd00:2::1')).toMatch(/unique-local/);
  });

  it('does not let an allowed IPv4 address in through its IPv4-mapped IPv6 form', () => {
    const policy = parseEgressAllow('127.0.0.1');
    expect(policy.refusal('h', '::ffff:127.0.0.1')).toBe('an IPv4-mapped address (::ffff:0:0/96)');
  });

  it('allows a host name whatever it resolves to, case- and trailing-dot-insensitively', () => {
    const policy = parseEgressAllow(' LocalHost , internal.example.com. ');
    expect(policy.refusal('localhost', '127.0.0.1')).toBeUndefined();
    expect(policy.refusal('Internal.Example.COM.', '10.9.9.9')).toBeUndefined();
    expect(policy.refusal('other.example.com', '10.9.9.9')).toMatch(/private/);
    expect(policy.refusal('sub.internal.example.com', '10.9.9.9')).toMatch(/private/);
  });

  it('allows every subdomain for *.name, but not the name itself', () => {
    const policy = parseEgressAllow('*.corp.example');
    expect(policy.refusal('a.b.corp.example', '10.0.0.1')).toBeUndefined();
    expect(policy.refusal('corp.example', '10.0.0.1')).toMatch(/private/);
    expect(policy.refusal('evilcorp.example', '10.0.0.1')).toMatch(/private/);
  });

  it('takes an empty or blank value, and empty entries, as no allowance', () => {
    for (const text of ['', '  ', ',, ,']) expect(parseEgressAllow(text).refusal('h', '10.0.0.1')).toMatch(/private/);
  });

  it.each([
    ['10.0.0.0/33', 'FLOWLINE_EGRESS_ALLOW: "10.0.0.0/33" has a prefix that is not 0–32'],
    ['fd00::/129', 'FLOWLINE_EGRESS_ALLOW: "fd00::/129" has a prefix that is not 0–128'],
    ['10.0.0.0/', 'FLOWLINE_EGRESS_ALLOW: "10.0.0.0/" has a prefix that is not 0–32'],
    ['10.0.0.0/8/8', 'FLOWLINE_EGRESS_ALLOW: "10.0.0.0/8/8" is not a CIDR (address/prefix)'],
    ['example.com/24', 'FLOWLINE_EGRESS_ALLOW: "example.com/24" is not a CIDR, an IP address or a host name'],
    ['10.0.0.300', 'FLOWLINE_EGRESS_ALLOW: "10.0.0.300" is not a CIDR, an IP address or a host name'],
    ['http://example.com', 'FLOWLINE_EGRESS_ALLOW: "http://example.com" is not a CIDR, an IP address or a host name'],
    ['exa mple.com', 'FLOWLINE_EGRESS_ALLOW: "exa mple.com" is not a CIDR, an IP address or a host name'],
    ['*', 'FLOWLINE_EGRESS_ALLOW: "*" is not a CIDR, an IP address or a host name'],
  ])('refuses the bad entry %s with one line naming it', (entry, message) => {
    const parse = () => parseEgressAllow(`127.0.0.1, ${entry}`);
    expect(parse).toThrow(FlowlineError);
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (error) {
      expect((error as FlowlineError).code).toBe('bad_config');
    }
  });
});

/**
 * Which addresses a webhook may reach (the SSRF guard). Public addresses
 * are allowed; loopback, private, link-local, unique-local, IPv4-mapped
 * IPv6 and the like are refused unless FLOWLINE_EGRESS_ALLOW lists them.
 */
export interface EgressPolicy {
  /** Undefined when `address` (an IP literal, resolved from `host`) may be reached; else the reason. */
  refusal(host: string, address: string): string | undefined;
}

/** Parses FLOWLINE_EGRESS_ALLOW: comma-separated CIDRs, IP addresses and host names. Throws on a bad entry. */
export function parseEgressAllow(_text: string | undefined): EgressPolicy {
  throw new Error('not implemented');
}

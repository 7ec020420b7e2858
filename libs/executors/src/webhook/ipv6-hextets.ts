import { isIPv4, isIPv6 } from 'node:net';

/**
 * The eight 16-bit groups of an IPv6 address (`::ffff:10.0.0.1` included),
 * or undefined when `text` is not one. node:net validates but does not
 * expose the bytes, and the SSRF guard needs them to read an IPv4 address
 * embedded in an IPv6 one.
 */
export function ipv6Hextets(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined;
  const [head = '', tail] = text.split('::');
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const missing = 8 - left.length - right.length;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

/** The dotted IPv4 address held in the low 32 bits of `hextets`. */
export function lowIPv4(hextets: readonly number[]): string {
  const high = hextets[6] ?? 0;
  const low = hextets[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The dotted IPv4 address held in hextets 1 and 2 (6to4, `2002:AABB:CCDD::/48`). */
export function sixToFourIPv4(hextets: readonly number[]): string {
  return lowIPv4([0, 0, 0, 0, 0, 0, hextets[1] ?? 0, hextets[2] ?? 0]);
}

function groupsOf(part: string): number[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => {
    if (!isIPv4(group)) return [parseInt(group, 16)];
    const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
}

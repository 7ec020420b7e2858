import { createHash } from 'node:crypto';

/** Hex SHA-256 of text or bytes: workflow digests now, cache keys and snapshots later. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

import { ValidationError } from '@flowline/core';

const DIGEST = /^[0-9a-f]{64}$/;
const CACHE_KEY = /^[0-9a-f]{16,128}$/;
const PREFIX = /^(?:[A-Za-z0-9!_.*'()-]+\/)*$/;

/**
 * Where things live in the bucket, under an optional prefix:
 *
 *     <prefix>blobs/sha256/ab/<64 hex digest>   content-addressed bytes
 *     <prefix>cache/<key>.json                  step cache entries
 *
 * Names are checked before they become keys, so a caller's bug can never
 * read or write outside these two trees.
 */
export class KeyLayout {
  readonly prefix: string;

  constructor(prefix = '') {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    if (!PREFIX.test(this.prefix) || this.prefix.includes('//')) {
      throw new ValidationError('invalid_s3_prefix', `S3 key prefix ${JSON.stringify(prefix)} is not a plain path`, {
        prefix,
      });
    }
  }

  blob(digest: string): string {
    checkDigest(digest);
    return `${this.prefix}blobs/sha256/${digest.slice(0, 2)}/${digest}`;
  }

  entry(key: string): string {
    checkCacheKey(key);
    return `${this.prefix}cache/${key}.json`;
  }
}

export function checkDigest(digest: string): void {
  if (!DIGEST.test(digest)) {
    throw new ValidationError('invalid_digest', `${JSON.stringify(digest)} is not a SHA-256 hex digest`, { digest });
  }
}

export function checkCacheKey(key: string): void {
  if (!CACHE_KEY.test(key)) {
    throw new ValidationError('invalid_cache_key', `cache key ${JSON.stringify(key)} is not lowercase hex`, { key });
  }
}

/**
 * Content-addressed bytes (SHA-256 hex digests): file contents of change
 * sets and workspace snapshots. Writes are create-only and idempotent; a
 * read verifies the digest, so a corrupt blob is never handed out.
 */
export interface BlobStore {
  /** Stores the file at `path` and returns its digest. */
  putFile(path: string): Promise<{ readonly digest: string; readonly size: number }>;
  /** Writes the blob to `path` (created or replaced atomically). Throws when it is missing or corrupt. */
  getFile(digest: string, path: string, mode: number): Promise<void>;
  has(digest: string): Promise<boolean>;
}

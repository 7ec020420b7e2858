/**
 * What one step attempt did to the workspace, as data: written files (by
 * content digest, the bytes live in a BlobStore), symlinks, deletions and new
 * directories. Paths are relative to the workspace root, with `/`
 * separators, never absolute and never climbing out. Ordered so that
 * applying entries in order is correct (a directory before its files, a
 * deletion of a directory after its contents).
 */
export type ChangeEntry =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly digest: string;
      readonly size: number;
      readonly mode: number;
    }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'delete'; readonly path: string };

export interface ChangeSet {
  readonly entries: readonly ChangeEntry[];
}

export const EMPTY_CHANGE_SET: ChangeSet = { entries: [] };

export { applyChangeSet } from './apply-change-set.js';
export { type DigestFilesOptions, NO_FILES_DIGEST, digestFiles } from './digest-files.js';
export { type CaptureOptions, changesFromOverlay } from './overlay-changes.js';
export { changesFromSnapshots } from './snapshot-changes.js';
export {
  type SnapshotEntry,
  type SnapshotEntryType,
  type SnapshotOptions,
  type TreeSnapshot,
  snapshotTree,
} from './tree-snapshot.js';

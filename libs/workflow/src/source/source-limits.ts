/** Bounds on what a workflow file may make the parser build. */
export interface SourceLimits {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of mappings and sequences, aliases expanded. */
  readonly maxDepth: number;
  /**
   * Most nodes that aliases may add when expanded. Anchors are useful for
   * sharing a retry block across thousands of steps, so the bound is on the
   * expanded size, not on how many aliases there are ("billion laughs" files
   * blow past it within a few lines).
   */
  readonly maxAliasExpansion: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliasExpansion: 100_000,
};

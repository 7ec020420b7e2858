/**
 * Admission of runs into concurrency groups: at most `limit` runs of a group
 * hold a slot; the rest wait in line, first come first served.
 *
 * A workflow's `concurrency: { key, limit }` names the group (its rendered
 * key) and the limit. Several coordinators call this at once, so an adapter
 * decides atomically. Nothing here starts or cancels a run: the caller starts
 * a run once it holds a slot, and releases the slot when the run ends.
 */
export interface RunAdmission {
  /**
   * Gives runId a slot if the group has fewer than `limit` holders, else puts
   * it in line (once). True when it holds a slot. Idempotent: a holder asking
   * again is told true; a waiting run stays in its place.
   */
  admit(group: string, limit: number, runId: string): Promise<boolean>;
  /**
   * Frees runId's slot (or takes it out of line) and admits waiting runs up
   * to `limit`; returns the run ids admitted now, oldest first. Idempotent.
   */
  release(group: string, limit: number, runId: string): Promise<string[]>;
  /** The group's holders and its line, oldest first (for status and repair). */
  inspect(group: string): Promise<{ readonly holders: readonly string[]; readonly waiting: readonly string[] }>;
  close(): Promise<void>;
}

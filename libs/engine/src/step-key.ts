/** Names one unit of work: a step, or one item of a `for_each` step. */
export interface StepKey {
  readonly step: string;
  /** The item's index when the step fans out. */
  readonly item?: number;
}

/** `build`, or `build[3]` for an item: how keys appear in logs, state and `--json`. */
export function formatStepKey(key: StepKey): string {
  return key.item === undefined ? key.step : `${key.step}[${key.item}]`;
}

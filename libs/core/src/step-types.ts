/** The step types of workflow language version 1, in the order the docs present them. */
export const STEP_TYPES = ['shell', 'claude_code', 'assert', 'template', 'webhook', 'conditional'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** Airflow's trigger rules: when a step may start, given how its `needs` ended. */
export const TRIGGER_RULES = ['all_success', 'all_done', 'none_failed', 'one_failed'] as const;
export type TriggerRule = (typeof TRIGGER_RULES)[number];

export const INPUT_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export function isStepType(value: unknown): value is StepType {
  return typeof value === 'string' && (STEP_TYPES as readonly string[]).includes(value);
}

/** What a step's run looks like to the templates that read it. */
export interface StepView {
  readonly status: string;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * Everything a template can read (DESIGN §2). The scheduler builds one per
 * rendering; validation has already proved every root path a template names
 * exists in this shape.
 */
export interface TemplateContext {
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly steps: Readonly<Record<string, StepView>>;
  readonly run: { readonly id: string };
  readonly workflow: { readonly name: string };
  readonly step?: { readonly id: string; readonly attempt: number };
  readonly item?: unknown;
  readonly index?: number;
}

/** The root names of the context, and the fields of the fixed-shape ones. */
export const CONTEXT_ROOTS = ['inputs', 'env', 'secrets', 'steps', 'run', 'workflow', 'step', 'item', 'index'] as const;
export type ContextRoot = (typeof CONTEXT_ROOTS)[number];

export const FIXED_FIELDS: Readonly<Partial<Record<ContextRoot, readonly string[]>>> = {
  run: ['id'],
  workflow: ['name'],
  step: ['id', 'attempt'],
};

/** What `steps.<id>` offers: its outputs and its status. */
export const STEP_VIEW_FIELDS = ['outputs', 'status'] as const;

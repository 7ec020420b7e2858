import type { TemplateContext } from '../template-context.js';
import { compileTemplate } from '../template-engine.js';

export function context(overrides: Partial<TemplateContext> = {}): TemplateContext {
  return {
    inputs: {},
    env: {},
    secrets: {},
    steps: {},
    run: { id: 'run-1' },
    workflow: { name: 'nightly' },
    ...overrides,
  };
}

/** Renders `source` with `inputs`; a key absent from `inputs` is a missing value. */
export function renderWith(source: string, inputs: Record<string, unknown> = {}): string {
  return compileTemplate(source).render(context({ inputs }));
}

/** Renders `{{helper inputs.a inputs.b}}`; `undefined` leaves the key out. */
export function call(helper: string, ...values: unknown[]): string {
  const names = values.map((_, i) => `v${i}`);
  const inputs: Record<string, unknown> = {};
  values.forEach((value, i) => {
    if (value !== undefined) inputs[names[i]!] = value;
  });
  return renderWith(`{{${helper} ${names.map((n) => `inputs.${n}`).join(' ')}}}`, inputs);
}

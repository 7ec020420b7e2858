import type { TemplateContext } from '../template/template-context.js';
import { type CompiledTemplate, compileTemplate } from '../template/template-engine.js';
import type { PreparedTemplates } from '../validate/check-templates.js';
import type { CompiledValue, TemplateMap } from './compiled-workflow.js';

/**
 * Compiles a workflow's templates, each distinct text once: the same
 * `{{inputs.repo}}` in fifty steps is one compiled function. Reuses the trees
 * and scans validation made.
 */
export class TemplateCompiler {
  private readonly byText = new Map<string, CompiledTemplate>();

  constructor(private readonly prepared: PreparedTemplates) {}

  template(source: string): CompiledTemplate {
    let compiled = this.byText.get(source);
    if (compiled === undefined) {
      compiled = compileTemplate(source, this.prepared.get(source));
      this.byText.set(source, compiled);
    }
    return compiled;
  }

  optional(source: string | undefined): CompiledTemplate | undefined {
    return source === undefined ? undefined : this.template(source);
  }

  map(values: Readonly<Record<string, string | number | boolean>> | undefined): TemplateMap {
    const out: Record<string, CompiledTemplate> = {};
    for (const name in values) out[name] = this.template(String(values[name]));
    return Object.freeze(out);
  }

  /** A JSON value whose strings render as templates; numbers, booleans and nulls pass through. */
  value(value: unknown): CompiledValue {
    const templates: CompiledTemplate[] = [];
    const build = (node: unknown): ((context: TemplateContext) => unknown) => {
      if (typeof node === 'string') {
        const template = this.template(node);
        templates.push(template);
        return (context) => template.render(context);
      }
      if (Array.isArray(node)) {
        const items = node.map(build);
        return (context) => items.map((item) => item(context));
      }
      if (node !== null && typeof node === 'object') {
        const entries = Object.entries(node).map(([key, item]) => [key, build(item)] as const);
        return (context) => Object.fromEntries(entries.map(([key, item]) => [key, item(context)]));
      }
      return () => node;
    };
    const render = build(value);
    return { templates, render };
  }
}

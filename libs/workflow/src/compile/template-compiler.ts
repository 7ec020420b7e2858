import type { ValuePath } from '../source/source-positions.js';
import type { TemplateContext } from '../template/template-context.js';
import { type CompiledTemplate, compileTemplate } from '../template/template-engine.js';
import { type ParsedTemplates, pathKey } from '../validate/check-templates.js';
import type { CompiledValue, TemplateMap } from './compiled-workflow.js';

/**
 * Compiles a workflow's templates, each distinct text once: the same
 * `{{inputs.repo}}` in fifty steps is one compiled function. Reuses the trees
 * validation parsed.
 */
export class TemplateCompiler {
  private readonly byText = new Map<string, CompiledTemplate>();

  constructor(private readonly parsed: ParsedTemplates) {}

  template(path: ValuePath, source: string): CompiledTemplate {
    const known = this.byText.get(source);
    if (known !== undefined) return known;
    const compiled = compileTemplate(source, this.parsed.get(pathKey(path)));
    this.byText.set(source, compiled);
    return compiled;
  }

  optional(path: ValuePath, source: string | undefined): CompiledTemplate | undefined {
    return source === undefined ? undefined : this.template(path, source);
  }

  map(path: ValuePath, values: Readonly<Record<string, string | number | boolean>> | undefined): TemplateMap {
    const out: Record<string, CompiledTemplate> = {};
    for (const [name, value] of Object.entries(values ?? {})) out[name] = this.template([...path, name], String(value));
    return Object.freeze(out);
  }

  /** A JSON value whose strings render as templates; numbers, booleans and nulls pass through. */
  value(path: ValuePath, value: unknown): CompiledValue {
    const templates: CompiledTemplate[] = [];
    const build = (at: ValuePath, node: unknown): ((context: TemplateContext) => unknown) => {
      if (typeof node === 'string') {
        const template = this.template(at, node);
        templates.push(template);
        return (context) => template.render(context);
      }
      if (Array.isArray(node)) {
        const items = node.map((item: unknown, i) => build([...at, i], item));
        return (context) => items.map((item) => item(context));
      }
      if (node !== null && typeof node === 'object') {
        const entries = Object.entries(node).map(([key, item]) => [key, build([...at, key], item)] as const);
        return (context) => Object.fromEntries(entries.map(([key, item]) => [key, item(context)]));
      }
      return () => node;
    };
    const render = build(path, value);
    return { templates, render };
  }
}

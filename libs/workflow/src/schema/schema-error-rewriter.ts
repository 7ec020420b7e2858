import { type StepType, isStepType } from '@flowline/core';
import type { ErrorObject } from 'ajv/dist/2020.js';

import type { DiagnosticSink } from '../diagnostics.js';
import type { SourcePositions, ValuePath } from '../source/source-positions.js';
import { TYPE_WORDS, describeValue, formatField, listWords, quote } from '../util/describe.js';
import { didYouMean } from '../util/did-you-mean.js';
import { STEP_FIELDS, WORKFLOW_FIELDS } from './schema-facts.js';

type SchemaObject = Record<string, unknown>;

/** Where an error is, in the words a message uses: `step "build": ` and `retry.max_attempts`. */
interface Subject {
  readonly prefix: string;
  readonly field: string;
  readonly stepId?: string;
  readonly stepType?: StepType;
}

interface Finding {
  readonly code: string;
  readonly message: string;
  /** Point at the key rather than the value (unknown fields, bad names). */
  readonly atKey?: string;
}

/**
 * Turns ajv's errors into one plain sentence per real problem. ajv reports
 * echoes alongside the cause: the `if` whose `then` failed, properties that
 * look "unevaluated" only because the branch that declares them failed, and
 * the per-branch errors of a `oneOf`/`anyOf`. Those are dropped here, using
 * facts read from the schema. Schema convention this relies on: `oneOf`/`anyOf`
 * branches are inline (no `$ref`), so their errors carry `/oneOf/<n>/` paths.
 */
export function reportSchemaErrors(
  errors: readonly ErrorObject[],
  value: unknown,
  positions: SourcePositions,
  sink: DiagnosticSink,
): void {
  const seen = new Set<string>();
  for (const error of withoutEchoes(errors, value)) {
    const path = toPath(error.instancePath);
    const subject = describeSubject(path, value);
    const finding = explain(error, subject);
    const key = `${error.instancePath}|${finding.atKey ?? ''}|${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const span = finding.atKey === undefined ? positions.valueSpan(path) : positions.keySpan([...path, finding.atKey]);
    const where = finding.atKey === undefined ? path : [...path, finding.atKey];
    sink.error(finding.code, `${subject.prefix}${finding.message}`, span, {
      path: where,
      ...(subject.stepId === undefined ? {} : { stepId: subject.stepId }),
    });
  }
}

function withoutEchoes(errors: readonly ErrorObject[], value: unknown): ErrorObject[] {
  const compositeAt = new Set(
    errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath),
  );
  const badTypeAt = new Set(
    errors.filter((e) => e.instancePath.endsWith('/type') && e.keyword === 'enum').map((e) => parentOf(e.instancePath)),
  );
  return errors.filter((e) => {
    if (e.keyword === 'if' || e.keyword === 'propertyNames') return false;
    if (compositeAt.has(e.instancePath) && /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath)) return false;
    if (e.keyword !== 'unevaluatedProperties') return true;
    // A step of unknown type has no known fields; the type error says it all.
    if (badTypeAt.has(e.instancePath)) return false;
    const type = stepTypeAt(toPath(e.instancePath), value);
    const property = String(e.params['unevaluatedProperty']);
    return type === undefined || !STEP_FIELDS.get(type)?.allowed.has(property);
  });
}

function explain(error: ErrorObject, subject: Subject): Finding {
  const field = subject.field;
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as SchemaObject;
  switch (error.keyword) {
    case 'required':
      return { code: 'missing-field', message: `missing required field "${String(params['missingProperty'])}"` };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params['additionalProperty'] ?? params['unevaluatedProperty']);
      const candidates = allowedFields(subject, parent);
      return { code: 'unknown-field', message: `unknown field "${name}"${didYouMean(name, candidates)}`, atKey: name };
    }
    case 'false schema':
      return {
        code: 'field-not-allowed',
        message: `"${field}" is not allowed on a ${subject.stepType ?? 'this'} step`,
      };
    case 'type':
      return { code: 'wrong-type', message: `${field} must be ${typeNoun(error)}, got ${describeValue(error.data)}` };
    case 'enum':
      return explainEnum(error, subject);
    case 'const':
      return {
        code: 'bad-value',
        message: `${field} must be ${JSON.stringify(params['allowedValue'])}, got ${describeValue(error.data)}`,
      };
    case 'pattern':
      return explainPattern(error, subject);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        code: 'out-of-range',
        message: `${field} must be ${COMPARISON_WORDS[String(params['comparison'])] ?? ''} ${String(params['limit'])}, got ${String(error.data)}`,
      };
    case 'minItems':
      return {
        code: 'empty-value',
        message: `${field} must list at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`,
      };
    case 'minLength':
      return { code: 'empty-value', message: `${field} must not be empty` };
    case 'maxLength':
      return { code: 'too-long', message: `${field} is longer than ${String(params['limit'])} characters` };
    case 'minProperties':
      return {
        code: 'empty-value',
        message: `${field} must set at least one of ${listWords(Object.keys(propertiesOf(parent)))}`,
      };
    case 'uniqueItems': {
      const list = error.data as unknown[];
      const item = list[Number(params['i'])];
      return { code: 'duplicate-item', message: `${field} lists ${describeValue(item)} twice` };
    }
    case 'oneOf':
    case 'anyOf':
      return explainChoice(error, subject);
    default:
      return { code: 'schema', message: `${field} ${error.message ?? 'is not valid'}` };
  }
}

function explainEnum(error: ErrorObject, subject: Subject): Finding {
  const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
  const got = error.data;
  const hint = typeof got === 'string' ? didYouMean(got, allowed) : '';
  if (subject.field === 'type' && subject.prefix.startsWith('step')) {
    return {
      code: 'unknown-step-type',
      message: `unknown step type ${describeValue(got)}${hint}; expected ${listWords(allowed)}`,
    };
  }
  return {
    code: 'bad-value',
    message: `${subject.field} must be one of ${listWords(allowed)}, got ${describeValue(got)}${hint}`,
  };
}

const COMPARISON_WORDS: Record<string, string> = {
  '<=': 'at most',
  '>=': 'at least',
  '<': 'less than',
  '>': 'more than',
};

/** Messages for the named patterns of the schema's `$defs`, keyed by definition. */
const PATTERN_MESSAGES: Record<string, { code: string; rule: string }> = {
  duration: { code: 'bad-duration', rule: 'is not a duration; write a number and a unit: 250ms, 30s, 10m, 2h, 7d' },
  size: { code: 'bad-size', rule: 'is not a size; write a number and a unit: 512MiB, 2GiB, 100KB' },
  stepId: {
    code: 'bad-id',
    rule: 'is not a valid step id: use lowercase letters, digits, "-" and "_", starting with a letter',
  },
  workflowName: { code: 'bad-name', rule: 'is not a valid workflow name: use lowercase letters, digits and "-"' },
  inputName: {
    code: 'bad-name',
    rule: 'is not a valid name: use letters, digits, "_" and "-", starting with a letter or "_"',
  },
  envName: {
    code: 'bad-name',
    rule: 'is not a valid variable name: use letters, digits and "_", not starting with a digit',
  },
};

function explainPattern(error: ErrorObject, subject: Subject): Finding {
  const definition = /\$defs\/(\w+)\/pattern$/.exec(error.schemaPath)?.[1];
  const known = definition === undefined ? undefined : PATTERN_MESSAGES[definition];
  // Inside `propertyNames` the offending text is a key, not a value.
  const name = error.propertyName;
  const text = name ?? String(error.data);
  const what = name === undefined ? `${subject.field} ${quote(text)}` : `${subject.field} key ${quote(text)}`;
  const atKey = name === undefined ? {} : { atKey: name };
  if (known !== undefined) return { code: known.code, message: `${what.trim()} ${known.rule}`, ...atKey };
  const pattern = String((error.params as { pattern: string }).pattern);
  return { code: 'bad-value', message: `${what.trim()} does not match ${pattern}`, ...atKey };
}

/** `oneOf`/`anyOf` of `required` branches: "needs X or Y", or "set only one of X and Y". */
function explainChoice(error: ErrorObject, subject: Subject): Finding {
  const branches = ((error.parentSchema as SchemaObject)[error.keyword] as SchemaObject[]) ?? [];
  const names = branches.flatMap((b) => (b['required'] as string[] | undefined) ?? []);
  const data = (error.data ?? {}) as Record<string, unknown>;
  const present = names.filter((n) => n in data);
  const where = subject.field === '' ? '' : `${subject.field} `;
  if (present.length > 1 && error.keyword === 'oneOf') {
    return { code: 'conflicting-fields', message: `${where}sets both ${listWords(present, 'and')}; use exactly one` };
  }
  const both = error.keyword === 'anyOf' ? ' (or both)' : '';
  return { code: 'missing-field', message: `${where}needs ${listWords(names.map((n) => `"${n}"`))}${both}` };
}

function allowedFields(subject: Subject, parent: SchemaObject): readonly string[] {
  if (subject.stepType !== undefined && subject.field === '') return [...STEP_FIELDS.get(subject.stepType)!.allowed];
  const own = Object.keys(propertiesOf(parent));
  return own.length > 0 ? own : WORKFLOW_FIELDS;
}

const DEFINITION_NOUNS: Record<string, string> = {
  duration: 'a duration such as 30s or 10m',
  size: 'a size such as 512MiB',
  template: 'text (a template)',
};

function typeNoun(error: ErrorObject): string {
  const definition = /\$defs\/(\w+)\/type$/.exec(error.schemaPath)?.[1];
  const named = definition === undefined ? undefined : DEFINITION_NOUNS[definition];
  if (named !== undefined) return named;
  const types = (error.params as { type: string | string[] }).type;
  return listWords(
    (Array.isArray(types) ? types : types.split(',')).map((t) => TYPE_WORDS[t as keyof typeof TYPE_WORDS] ?? t),
  );
}

function describeSubject(path: ValuePath, value: unknown): Subject {
  const [head, second, ...rest] = path;
  if (head === 'steps' && typeof second === 'number') {
    const step = stepAt(value, second);
    const id = typeof step?.['id'] === 'string' && /^[a-z][a-z0-9_-]*$/.test(step['id']) ? step['id'] : undefined;
    const type = stepTypeAt(path, value);
    return {
      prefix: id === undefined ? `step #${second + 1}: ` : `step "${id}": `,
      field: formatField(rest),
      ...(id === undefined ? {} : { stepId: id }),
      ...(type === undefined ? {} : { stepType: type }),
    };
  }
  if (head === 'inputs' && second !== undefined && rest.length > 0) {
    return { prefix: `input "${String(second)}": `, field: formatField(rest) };
  }
  return { prefix: '', field: formatField(path) };
}

function stepAt(value: unknown, index: number): Record<string, unknown> | undefined {
  const steps = (value as { steps?: unknown }).steps;
  const step = Array.isArray(steps) ? (steps[index] as unknown) : undefined;
  return step !== null && typeof step === 'object' ? (step as Record<string, unknown>) : undefined;
}

function stepTypeAt(path: ValuePath, value: unknown): StepType | undefined {
  if (path[0] !== 'steps' || typeof path[1] !== 'number') return undefined;
  const type = stepAt(value, path[1])?.['type'];
  return isStepType(type) ? type : undefined;
}

function toPath(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}

function parentOf(instancePath: string): string {
  return instancePath.slice(0, instancePath.lastIndexOf('/'));
}

function propertiesOf(schema: SchemaObject): Record<string, unknown> {
  return (schema['properties'] as Record<string, unknown> | undefined) ?? {};
}

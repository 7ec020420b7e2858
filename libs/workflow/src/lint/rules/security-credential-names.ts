import type { ValuePath } from '../../source/source-positions.js';
import { stringLeaves } from '../../validate/template-fields.js';
import type { LintContext } from '../lint-rule.js';
import { masked } from './secret-patterns.js';

/** A literal value where a credential is expected, by the name it is given. */
export interface LiteralCredential {
  readonly path: ValuePath;
  readonly value: string;
  /** The part that is the credential (after `Bearer ` in a header), to locate it. */
  readonly credential: string;
  readonly shown: string;
  /** `password`, `token`…: what the name says it is. */
  readonly what: string;
}

/** The end of a name that says "this is a credential" (after camelCase is split with `_`). */
const CREDENTIAL_NAME =
  /(?:^|[_.-])(password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)$/i;
const AUTHORIZATION = /^(?:proxy-)?authorization$/i;
const AUTH_SCHEME = /^(?:bearer|basic|token)\s+(\S+)$/i;
const MIN_LENGTH = 8;
const MIN_DISTINCT_SYMBOLS = 5;

/**
 * Env values (workflow and steps), webhook headers and body fields whose
 * name says credential and whose value is a literal that looks like one.
 */
export function literalCredentials(context: LintContext): LiteralCredential[] {
  return namedValues(context).flatMap(([path, value]) => {
    const found = literalCredential(String(path.at(-1)), value);
    return found === undefined ? [] : [{ path, value, ...found }];
  });
}

function namedValues(context: LintContext): [ValuePath, string][] {
  const values: [ValuePath, string][] = envStrings(context.definition.env, ['env']);
  context.definition.steps.forEach((step, index) => {
    const at = ['steps', index];
    values.push(...envStrings(step.env, [...at, 'env']));
    if (step.type !== 'webhook') return;
    values.push(...stringLeaves(step.headers ?? {}, [...at, 'headers']));
    const fields = stringLeaves(step.body, [...at, 'body']);
    values.push(...fields.filter(([path]) => typeof path.at(-1) === 'string'));
  });
  return values;
}

/** Numbers and booleans in env are not credentials (`MAX_TOKEN: 4096`). */
function envStrings(env: Readonly<Record<string, unknown>> | undefined, at: ValuePath): [ValuePath, string][] {
  return Object.entries(env ?? {}).flatMap(([name, value]) =>
    typeof value === 'string' ? [[[...at, name], value] as [ValuePath, string]] : [],
  );
}

function literalCredential(
  name: string,
  value: string,
): Pick<LiteralCredential, 'credential' | 'shown' | 'what'> | undefined {
  if (AUTHORIZATION.test(name)) {
    const credential = AUTH_SCHEME.exec(value.trim())?.[1];
    return credential !== undefined && looksLikeCredential(credential)
      ? { credential, shown: masked(credential), what: 'Authorization credential' }
      : undefined;
  }
  const what = CREDENTIAL_NAME.exec(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))?.[1]?.toLowerCase();
  if (what === undefined || !looksLikeCredential(value)) return undefined;
  return { credential: value, shown: masked(value), what };
}

/** Not read at run time, not a placeholder, not prose. */
function looksLikeCredential(value: string): boolean {
  return (
    !value.includes('{{') &&
    !value.includes('$') &&
    value.length >= MIN_LENGTH &&
    !/\s/.test(value) &&
    !/^<.*>$/.test(value) &&
    new Set(value).size >= MIN_DISTINCT_SYMBOLS
  );
}

/** `step "deploy": env.TOKEN` for a step's field, `env.TOKEN` for the workflow's. */
export function describePath(context: LintContext, path: ValuePath): string {
  if (path[0] !== 'steps' || typeof path[1] !== 'number' || path.length < 3) return path.join('.');
  const step = context.definition.steps[path[1]];
  return `step "${step?.id ?? path[1]}": ${path.slice(2).join('.')}`;
}

import { formatDuration, parseDuration, parseSize } from '@flowline/core';

import { LANGUAGE_DEFAULTS } from '../compile/language-defaults.js';
import type { PolicyDefinition } from '../definition/workflow-definition.js';
import type { ValuePath } from '../source/source-positions.js';
import { formatField } from '../util/describe.js';
import { type ValidationContext, reportAt } from './validation-context.js';

/** Duration fields of a policy block (`defaults:` or a step) and whether zero makes sense. */
const DURATIONS: readonly { path: readonly string[]; zeroAllowed: boolean }[] = [
  { path: ['timeout'], zeroAllowed: false },
  { path: ['retry', 'initial_delay'], zeroAllowed: true },
  { path: ['retry', 'max_delay'], zeroAllowed: true },
  { path: ['cache', 'ttl'], zeroAllowed: false },
  { path: ['sandbox', 'cpu_time'], zeroAllowed: false },
];
const SIZES: readonly (readonly string[])[] = [
  ['max_output_size'],
  ['sandbox', 'memory'],
  ['sandbox', 'max_file_size'],
];

/**
 * What the schema's patterns cannot see: a zero timeout, a value too large
 * to represent, a retry whose cap is below its first delay. Checked on
 * `defaults:`, on each step, and on each step merged with the defaults.
 */
export function checkPolicies(context: ValidationContext): void {
  const { definition } = context;
  if (definition.defaults !== undefined) checkBlock(context, definition.defaults, ['defaults']);
  definition.steps.forEach((step, i) => {
    checkBlock(context, step, ['steps', i]);
    checkMergedRetry(context, step, i);
    if (step.type === 'webhook' && step.max_response_size !== undefined) {
      checkSize(context, step.max_response_size, ['steps', i, 'max_response_size']);
    }
  });
}

function checkBlock(context: ValidationContext, block: PolicyDefinition, at: ValuePath): void {
  // Steps are named by the message prefix; `defaults:` is named here.
  const scope = at[0] === 'defaults' ? 'defaults.' : '';
  for (const { path, zeroAllowed } of DURATIONS) {
    const text = valueAt(block, path);
    if (typeof text !== 'string') continue;
    const ms = parseDuration(text);
    const field = `${scope}${path.join('.')}`;
    if (ms === undefined) reportAt(context, [...at, ...path], 'bad-duration', `${field} "${text}" is too large`);
    else if (ms === 0 && !zeroAllowed)
      reportAt(context, [...at, ...path], 'bad-duration', `${field} must be longer than 0`);
  }
  for (const path of SIZES) {
    const text = valueAt(block, path);
    if (typeof text === 'string') checkSize(context, text, [...at, ...path]);
  }
  const retry = block.retry;
  if (retry?.initial_delay !== undefined && retry.max_delay !== undefined) {
    const first = parseDuration(retry.initial_delay);
    const cap = parseDuration(retry.max_delay);
    if (first !== undefined && cap !== undefined && cap < first) {
      reportAt(
        context,
        [...at, 'retry', 'max_delay'],
        'bad-duration',
        `${scope}retry.max_delay ${retry.max_delay} is shorter than ${scope}retry.initial_delay ${retry.initial_delay}`,
      );
    }
  }
}

/** A step that sets only one of the two delays can still end up with max below initial after merging. */
function checkMergedRetry(context: ValidationContext, step: PolicyDefinition, index: number): void {
  const own = step.retry;
  const defaults = context.definition.defaults?.retry;
  if (own === undefined || defaults === undefined) return;
  if (own.initial_delay !== undefined && own.max_delay !== undefined) return; // checked on the step alone
  const first = effectiveMs(own.initial_delay ?? defaults.initial_delay, LANGUAGE_DEFAULTS.retry.initialDelayMs);
  const cap = effectiveMs(own.max_delay ?? defaults.max_delay, LANGUAGE_DEFAULTS.retry.maxDelayMs);
  if (first === undefined || cap === undefined || cap >= first) return;
  const field = own.initial_delay === undefined ? 'max_delay' : 'initial_delay';
  reportAt(
    context,
    ['steps', index, 'retry', field],
    'bad-duration',
    `with the defaults, retry.max_delay (${formatDuration(cap)}) is shorter than retry.initial_delay (${formatDuration(first)})`,
  );
}

function effectiveMs(text: string | undefined, fallbackMs: number): number | undefined {
  return text === undefined ? fallbackMs : parseDuration(text);
}

function checkSize(context: ValidationContext, text: string, at: ValuePath): void {
  const bytes = parseSize(text);
  // Steps are named by the message prefix; `defaults:` is named in the field.
  const field = formatField(at[0] === 'steps' ? at.slice(2) : at);
  if (bytes === undefined) reportAt(context, at, 'bad-size', `${field} "${text}" is too large`);
  else if (bytes === 0) reportAt(context, at, 'bad-size', `${field} must be larger than 0`);
}

function valueAt(block: object, path: readonly string[]): unknown {
  let value: unknown = block;
  for (const key of path)
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

import { assertNever } from '@flowline/core';

import type { Check } from '../spec/test-spec.js';

/** Longest value shown in a report line: enough to recognise it, short enough to read. */
const MAX_SHOWN = 200;

/** `equals 0`, `contains "Fixed"`, `matches /^All/`, `>= 80`, `exists`: what a report says was expected. */
export function describeChecks(checks: readonly Check[]): string {
  return checks.map(describeCheck).join(' and ');
}

function describeCheck(check: Check): string {
  switch (check.op) {
    case 'equals':
      return showValue(check.expected);
    case 'contains':
      return `contains ${showValue(check.expected)}`;
    case 'matches':
      return `matches ${String(check.pattern)}`;
    case 'gt':
      return `> ${check.expected}`;
    case 'gte':
      return `>= ${check.expected}`;
    case 'lt':
      return `< ${check.expected}`;
    case 'lte':
      return `<= ${check.expected}`;
    case 'exists':
      return check.expected ? 'exists' : 'does not exist';
    default:
      return assertNever(check, 'check');
  }
}

/** A value as JSON, cut to a readable length; `missing` for none. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  return clip(JSON.stringify(value));
}

export function clip(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)`;
}

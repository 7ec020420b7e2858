import type { LintRule } from '../../lint-rule.js';
import { lintYaml, placesOf } from '../../test-support/lint-yaml.js';
import { SECURITY_RULES } from '../security-rules.js';

/** Helpers of the security rules' tests: a rule by id, its findings as places or messages, exact expected places. */

export function rule(id: string): LintRule {
  const found = SECURITY_RULES.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no security rule ${id}`);
  return found;
}

export function lint(id: string, yaml: string): string[] {
  return placesOf(lintYaml(yaml, [rule(id)]));
}

export function messagesOf(id: string, yaml: string): string[] {
  return lintYaml(yaml, [rule(id)]).map((d) => d.message);
}

export const HEAD = [
  'name: w',
  'inputs:',
  '  dir: { type: string }',
  '  list: { type: array }',
  '  count: { type: integer }',
  '  mode: { type: string, enum: [fast, full] }',
  'secrets: [TOKEN]',
  "env: { OUT: '{{inputs.dir}}', FIXED: build, AUTH: 'Bearer {{secrets.TOKEN}}' }",
  'steps:',
  '  - id: a',
  '    type: shell',
  '    run: |',
];

/** A workflow whose one shell step runs `lines`; script line k is file line HEAD.length + k. */
export function script(...lines: string[]): string {
  return `${[...HEAD, ...lines.map((line) => `      ${line}`)].join('\n')}\n`;
}

/** `line:column id` of `needle` in script line `k` (1-based): where a finding must point. */
export function inScript(lines: readonly string[], k: number, needle: string, id: string): string {
  const column = lines[k - 1]!.indexOf(needle);
  if (column === -1) throw new Error(`"${needle}" is not in line ${k}`);
  return `${HEAD.length + k}:${7 + column} ${id}`;
}

export function flow(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** `line:column id` of the first `needle` on `line` of `yaml`, optionally after `after`. */
export function at(yaml: string, line: number, needle: string, id: string, after = ''): string {
  const text = yaml.split('\n')[line - 1]!;
  const column = text.indexOf(needle, after === '' ? 0 : text.indexOf(after));
  if (column === -1 || (after !== '' && text.indexOf(after) === -1))
    throw new Error(`"${needle}" is not on line ${line}`);
  return `${line}:${column + 1} ${id}`;
}

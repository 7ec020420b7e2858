import { describe, expect, it } from '@jest/globals';

import type { LintCategory } from './lint-rule.js';
import { LINT_RULES } from './rules/index.js';
import { META_RULES } from './suppression/meta-rules.js';

const CATEGORIES: readonly LintCategory[] = ['logic', 'performance', 'security', 'best-practice'];
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const ALL = [...LINT_RULES, ...META_RULES];

describe('the lint catalogue', () => {
  it('has at least 30 rules', () => {
    expect(LINT_RULES.length).toBeGreaterThanOrEqual(30);
  });

  it('covers every category', () => {
    expect(CATEGORIES.filter((category) => !LINT_RULES.some((rule) => rule.category === category))).toEqual([]);
  });

  it('gives every rule (and suppression diagnostic) a unique kebab-case id', () => {
    const ids = ALL.map((rule) => rule.id);
    expect(ids.filter((id) => !KEBAB.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each(ALL.map((rule) => [rule.id, rule] as const))('%s has a category, a severity and docs', (_id, rule) => {
    expect(CATEGORIES).toContain(rule.category);
    expect(['error', 'warning']).toContain(rule.severity);
    expect(rule.summary.trim()).not.toBe('');
    expect(rule.summary).not.toContain('\n');
    expect(rule.docs.why.trim().length).toBeGreaterThan(20);
    expect(rule.docs.fix.trim()).not.toBe('');
  });
});

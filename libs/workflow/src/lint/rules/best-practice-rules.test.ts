import { describe, expect, it } from '@jest/globals';

import { lintYaml } from '../test-support/lint-yaml.js';
import { BEST_PRACTICE_RULES } from './best-practice-rules.js';

describe.each(BEST_PRACTICE_RULES.map((rule) => [rule.id, rule] as const))('%s: the docs examples', (_id, rule) => {
  it('reports the "bad" example', () => {
    expect(lintYaml(rule.docs.bad ?? '', [rule]).length).toBeGreaterThan(0);
  });

  it('stays quiet on the "good" example', () => {
    expect(lintYaml(rule.docs.good ?? '', [rule])).toEqual([]);
  });
});

describe('the best-practice family', () => {
  it('holds only warnings of its own category', () => {
    expect(BEST_PRACTICE_RULES.map((rule) => `${rule.category} ${rule.severity}`)).toEqual(
      BEST_PRACTICE_RULES.map(() => 'best-practice warning'),
    );
  });
});

import { describe, expect, it } from '@jest/globals';

import { lintYaml } from '../test-support/lint-yaml.js';
import { LOGIC_RULES } from './logic-rules.js';

describe('the logic catalogue', () => {
  it('holds logic rules with unique ids and full docs', () => {
    const ids = LOGIC_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of LOGIC_RULES) {
      expect(rule.category).toBe('logic');
      expect(rule.docs.bad).toBeDefined();
      expect(rule.docs.good).toBeDefined();
    }
  });

  it.each(LOGIC_RULES.map((rule) => ({ id: rule.id, rule })))(
    '$id: its own docs example is reported, and its fix is not',
    ({ rule }) => {
      expect(lintYaml(`name: w\n${rule.docs.bad!}\n`, [rule]).length).toBeGreaterThan(0);
      expect(lintYaml(`name: w\n${rule.docs.good!}\n`, [rule])).toEqual([]);
    },
  );
});

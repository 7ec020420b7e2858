import type { LintRuleDescription } from '../lint-rule.js';

/**
 * Diagnostics about suppression comments themselves. They are not rules of
 * the catalogue (nothing in a workflow's steps triggers them), but they have
 * ids, severities and docs like rules, and the config file can change or
 * turn off their severity.
 */
export const UNKNOWN_LINT_RULE: LintRuleDescription = {
  id: 'unknown-lint-rule',
  category: 'best-practice',
  severity: 'warning',
  summary: 'A suppression comment names a rule that does not exist.',
  docs: {
    why:
      'A misspelt rule name suppresses nothing, so the finding it was meant to silence is still reported ' +
      '(or, worse, the comment survives a rule being renamed and hides nothing while looking as if it does). ' +
      'The message suggests the closest rule id.',
    fix: 'Correct the rule id (see the tables above), or remove the comment.',
    bad: 'version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line step-missing-descripton\n  - { id: a, type: shell, run: make }\n',
    good: 'version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line step-missing-description\n  - { id: a, type: shell, run: make }\n',
  },
};

export const UNUSED_LINT_SUPPRESSION: LintRuleDescription = {
  id: 'unused-lint-suppression',
  category: 'best-practice',
  severity: 'warning',
  summary: 'A suppression comment suppresses nothing: the rule it names reports nothing where it applies.',
  docs: {
    why:
      'Once the problem is fixed (or the comment drifts away from its line) a leftover suppression would ' +
      'silently hide the next real finding there. A suppression of a rule that the configuration turns off ' +
      'is not reported: it may be needed where the rule is on.',
    fix:
      'Remove the comment, or the rule name from it. If the finding moved, put the comment right above the ' +
      'line the finding is reported on (`flowline lint` prints its line and column).',
    bad: 'version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line step-missing-description\n  - { id: a, type: shell, run: make, name: Build }\n',
    good: 'version: 1\nname: w\nsteps:\n  - { id: a, type: shell, run: make, name: Build }\n',
  },
};

export const MALFORMED_LINT_DIRECTIVE: LintRuleDescription = {
  id: 'malformed-lint-directive',
  category: 'best-practice',
  severity: 'warning',
  summary: 'A `# flowline-lint-…` comment that is not a directive, names no rule, or stands where it cannot apply.',
  docs: {
    why:
      'A comment that starts with `flowline-lint-` is meant to change what lint reports, so one that does ' +
      'not (a misspelt directive, `flowline-lint-disable-line` on a line of its own, a file-wide ' +
      '`flowline-lint-disable` inside a block) is a mistake worth knowing about. A directive without rule ' +
      'names is refused rather than taken to mean "every rule": that would also hide every finding that a ' +
      'rule added later makes on that line, unseen.',
    fix: 'Use one of the three directives, followed by the ids of the rules to suppress.',
    bad: 'version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line\n  - { id: a, type: shell, run: make }\n',
    good: 'version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line step-missing-description\n  - { id: a, type: shell, run: make }\n',
  },
};

export const META_RULES: readonly LintRuleDescription[] = [
  UNKNOWN_LINT_RULE,
  UNUSED_LINT_SUPPRESSION,
  MALFORMED_LINT_DIRECTIVE,
];

import { describe, expect, it } from '@jest/globals';

import type { LintConfig } from '../lint-config.js';
import type { LintRule } from '../lint-rule.js';
import { lintText } from '../lint-text.js';
import {
  inputMissingDescription,
  missingVersion,
  stepMissingDescription,
} from '../rules/best-practice/description-rules.js';
import { placesOf } from '../test-support/lint-yaml.js';
import { META_RULES } from './meta-rules.js';

/** Reports every `echo` inside shell scripts, so suppressions inside a `run: |` block can be tested. */
const echoRule: LintRule = {
  id: 'test-shout',
  category: 'best-practice',
  severity: 'warning',
  summary: 'reports echo commands',
  docs: { why: 'test rule', fix: 'none' },
  check(context) {
    for (const step of context.definition.steps) {
      if (step.type !== 'shell' || !step.run.includes('echo')) continue;
      const path = ['steps', context.indexOf(step.id), 'run'];
      context.report({ message: 'echo', path, at: context.spanOf(path, 'echo'), stepId: step.id });
    }
  },
};

const RULES = [missingVersion, stepMissingDescription, inputMissingDescription, echoRule];

function lint(yaml: string, config?: LintConfig): string[] {
  return placesOf(lintText(yaml, { file: 'wf.yaml', rules: RULES, ...(config ? { config } : {}) }));
}

function messages(yaml: string): string[] {
  return lintText(yaml, { file: 'wf.yaml', rules: RULES }).map((d) => `${d.code}: ${d.message}`);
}

const STEP = '  - { id: a, type: shell, run: make }';

describe('suppression comments', () => {
  it('without comments, every finding is reported (the baseline the other tests suppress from)', () => {
    expect(lint(`version: 1\nname: w\nsteps:\n${STEP}\n`)).toEqual(['4:11 step-missing-description']);
  });

  it('disable-next-line suppresses findings on the next line that is neither blank nor a comment', () => {
    const yaml = `version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line step-missing-description\n\n  # why: a test\n${STEP}\n`;
    expect(lint(yaml)).toEqual([]);
  });

  it('names several rules, separated by commas or blanks, and ignores a reason after --', () => {
    const step = '  - { id: a, type: shell, run: echo hi }';
    const yaml = `version: 1\nname: w\nsteps:\n${step}\n`;
    expect(lint(yaml)).toEqual(['4:11 step-missing-description', '4:32 test-shout']);
    const commas = `version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line step-missing-description,test-shout -- a demo\n${step}\n`;
    expect(lint(commas)).toEqual([]);
    const blanks = `version: 1\nname: w\nsteps:\n${step} # flowline-lint-disable-line test-shout step-missing-description\n`;
    expect(lint(blanks)).toEqual([]);
  });

  it('disable-line suppresses findings on its own line', () => {
    const yaml = `version: 1\nname: w\nsteps:\n${STEP} # flowline-lint-disable-line step-missing-description\n`;
    expect(lint(yaml)).toEqual([]);
  });

  it('a file-wide disable suppresses the rule everywhere, and only that rule', () => {
    const yaml = `# flowline-lint-disable step-missing-description\nname: w\nsteps:\n${STEP}\n  - { id: b, type: shell, run: make }\n`;
    expect(lint(yaml)).toEqual(['2:1 missing-version']);
  });

  it('works inside a block script, where the directive is a shell comment too', () => {
    const yaml =
      'version: 1\nname: w\nsteps:\n  - id: a\n    type: shell\n    name: A\n    run: |\n' +
      '      # flowline-lint-disable-next-line test-shout -- deliberate\n      echo hi\n';
    expect(lint(yaml)).toEqual([]);
    expect(lint(yaml.replace('flowline-lint-disable-next-line test-shout -- deliberate', 'a plain comment'))).toEqual([
      '9:7 test-shout',
    ]);
  });

  it('reports an unknown rule at its name, with the closest id, and suppresses nothing for it', () => {
    const yaml = `version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line step-missing-descripton\n${STEP}\n`;
    expect(lint(yaml)).toEqual(['4:37 unknown-lint-rule', '5:11 step-missing-description']);
    expect(messages(yaml)[0]).toBe(
      'unknown-lint-rule: unknown lint rule "step-missing-descripton" (did you mean "step-missing-description"?)',
    );
  });

  it('reports a suppression that suppresses nothing, at the rule it names', () => {
    const yaml = `version: 1\nname: w\nsteps:\n  # flowline-lint-disable-next-line missing-version\n${STEP}\n`;
    expect(lint(yaml)).toEqual(['4:37 unused-lint-suppression', '5:11 step-missing-description']);
    expect(messages(yaml)[0]).toBe(
      'unused-lint-suppression: "missing-version" reports nothing on line 5, so this suppression does nothing; remove it',
    );
  });

  it('does not call a suppression unused when its rule is turned off by configuration', () => {
    const yaml = `version: 1\nname: w\nsteps:\n${STEP} # flowline-lint-disable-line step-missing-description\n`;
    const off: LintConfig = { rules: new Map([['step-missing-description', 'off']]) };
    expect(lint(yaml, off)).toEqual([]);
  });

  it.each([
    [
      '# flowline-lint-disable-next-line',
      'flowline-lint-disable-next-line names no rule; write the ids of the rules to suppress after it',
    ],
    [
      '# flowline-lint-disable-nextline missing-version',
      'unknown directive "flowline-lint-disable-nextline" (did you mean "flowline-lint-disable-next-line"?)',
    ],
    [
      '# flowline-lint-disable-line missing-version',
      'flowline-lint-disable-line suppresses findings on its own line, which holds only this comment; use flowline-lint-disable-next-line',
    ],
    [
      '  # flowline-lint-disable missing-version',
      'flowline-lint-disable applies to the whole file, so it must be a comment of its own starting in column 1',
    ],
  ])('refuses `%s`: reported, nothing suppressed', (comment, message) => {
    const yaml = `${comment}\nname: w\nsteps:\n  - { id: a, type: shell, run: make, name: A }\n`;
    expect(messages(yaml)).toEqual([
      `malformed-lint-directive: ${message}`,
      'missing-version: the workflow has no `version:`; add `version: 1`',
    ]);
  });

  it('refuses to suppress a suppression diagnostic by comment', () => {
    const yaml = `# flowline-lint-disable unused-lint-suppression\nversion: 1\nname: w\nsteps:\n  - { id: a, type: shell, run: make, name: A }\n`;
    expect(messages(yaml)).toEqual([
      'unknown-lint-rule: "unused-lint-suppression" is about suppression comments and cannot be suppressed by one; set it to off in .flowline-lint.yaml',
    ]);
  });

  it('cannot wave an invalid workflow through: validation errors are reported, and no rule or suppression check runs', () => {
    const yaml = `# flowline-lint-disable unknown-step\nname: w\nsteps:\n  - { id: a, type: shell, run: make, needs: [b] }\n`;
    expect(lint(yaml)).toEqual(['4:46 unknown-step']);
  });
});

describe('configured severities', () => {
  const yaml = `name: w\nsteps:\n${STEP}\n  # flowline-lint-disable-next-line missing-version\n  - { id: b, type: shell, run: make, name: B }\n`;

  it('change a rule to error, turn one off, and apply to the suppression diagnostics too', () => {
    const config: LintConfig = {
      rules: new Map([
        ['missing-version', 'error'],
        ['step-missing-description', 'off'],
        ['unused-lint-suppression', 'error'],
      ]),
    };
    const found = lintText(yaml, { file: 'wf.yaml', rules: RULES, config });
    expect(found.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual([
      '1:1 error missing-version',
      '4:37 error unused-lint-suppression',
    ]);
  });

  it('turn a suppression diagnostic off', () => {
    const config: LintConfig = { rules: new Map([['unused-lint-suppression', 'off']]) };
    expect(lint(yaml, config)).toEqual(['1:1 missing-version', '3:11 step-missing-description']);
  });
});

describe.each(META_RULES.map((rule) => [rule.id, rule] as const))('%s: the docs examples', (id, rule) => {
  const codes = (yaml: string) => lintText(yaml, { file: 'wf.yaml' }).map((d) => d.code);

  it('reports the "bad" example', () => {
    expect(codes(rule.docs.bad ?? '')).toContain(id);
  });

  it('stays quiet on the "good" example', () => {
    expect(codes(rule.docs.good ?? '')).not.toContain(id);
  });
});

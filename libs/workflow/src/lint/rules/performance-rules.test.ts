import { describe, expect, it } from '@jest/globals';

import { lintYaml, messages, places, steps } from '../test-support/lint-yaml.js';
import { agentWithoutMaxTurns, forEachUnbounded, missingTimeout, timeoutTooLarge } from './perf-bounds-rules.js';
import { uncachedExpensiveStep } from './perf-cache-rules.js';
import { expensiveCommand, hasSideEffects } from './perf-commands.js';
import { shellPipelines } from './security-shell.js';
import { STEP_LIMIT, serialChain, tooManySteps } from './perf-shape-rules.js';
import { PERFORMANCE_RULES } from './performance-rules.js';

describe('the performance catalogue', () => {
  it('holds performance rules with unique ids and full docs', () => {
    const ids = PERFORMANCE_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of PERFORMANCE_RULES) {
      expect(rule.category).toBe('performance');
      expect(rule.docs.bad).toBeDefined();
      expect(rule.docs.good).toBeDefined();
    }
  });

  it.each(PERFORMANCE_RULES.filter((rule) => rule !== tooManySteps).map((rule) => ({ id: rule.id, rule })))(
    '$id: its own docs example is reported, and its fix is not',
    ({ rule }) => {
      expect(lintYaml(`name: w\n${rule.docs.bad!}\n`, [rule]).length).toBeGreaterThan(0);
      expect(lintYaml(`name: w\n${rule.docs.good!}\n`, [rule])).toEqual([]);
    },
  );
});

describe('expensiveCommand', () => {
  it.each([
    ['npm ci', 'npm ci'],
    ['npm install --no-audit', 'npm install --no-audit'],
    ['yarn --frozen-lockfile', 'yarn --frozen-lockfile'],
    ['cd web && npm i', 'npm i'],
    ['set -e\n# comment\nCI=1 pnpm install\n', 'pnpm install'],
    ['python -m pip install -r requirements.txt', 'python -m pip install'],
    ['npx tsc --noEmit -p .', 'npx tsc'],
    ['if true; then npm run build; fi', 'npm run build'],
    ['make -j4', 'make -j4'],
    ['make build', 'make build'],
    ['./gradlew --no-daemon build', './gradlew --no-daemon build'],
    ['mvn -B package', 'mvn -B package'],
    ['cargo build --release', 'cargo build'],
    ['time go build ./...', 'go build'],
    ['timeout 10m npm ci', 'npm ci'],
    ['"npm" ci', 'npm ci'],
  ])('finds the command in %j', (script, text) => {
    expect(expensiveCommand(shellPipelines(script))?.text).toBe(text);
  });

  it.each([
    'echo "run npm ci first"',
    '# npm ci',
    'npm install lodash',
    'npm install -g typescript',
    'make deploy',
    'npm test',
    'docker build -t app .',
    'yarn test',
    'tsc=$(command -v tsc)',
    'cat <<EOF\nnpm ci\nEOF',
  ])('finds none in %j', (script) => {
    expect(expensiveCommand(shellPipelines(script))).toBeUndefined();
  });

  it('gives the offset of the program word', () => {
    const script = '# npm ci first\necho "npm ci" && sudo npm ci\n';
    expect(expensiveCommand(shellPipelines(script))?.offset).toBe(script.lastIndexOf('npm ci'));
  });

  it('sees effects outside the workspace', () => {
    expect(hasSideEffects(shellPipelines('npm ci && npm publish'))).toBe(true);
    expect(hasSideEffects(shellPipelines('make\n./scripts/deploy.sh'))).toBe(true);
    expect(hasSideEffects(shellPipelines('npm ci\ncurl -fsS https://example.com'))).toBe(true);
    expect(hasSideEffects(shellPipelines('npm ci && npm run build'))).toBe(false);
  });
});

describe('uncached-expensive-step', () => {
  const rule = uncachedExpensiveStep;

  it('reports an install without cache, at the command inside the script', () => {
    const yaml = steps('  - id: install', '    type: shell', '    run: |', '      set -e', '      npm ci');
    expect(places(rule, yaml)).toEqual(['7:7 uncached-expensive-step']);
    expect(messages(rule, yaml)).toEqual([
      'step "install": runs npm ci every time; enable the cache (cache: { enabled: true, files: [package-lock.json] }) so an unchanged workspace reuses the result',
    ]);
  });

  it('reports the command where it runs, not where a comment names it', () => {
    const yaml = steps(
      '  - id: install',
      '    type: shell',
      '    run: |',
      '      # npm ci --no-audit is fast',
      '      npm ci --no-audit',
    );
    expect(places(rule, yaml)).toEqual(['7:7 uncached-expensive-step']);
  });

  it('reports a build whose step has if, for_each and network', () => {
    const yaml = steps(
      "  - { id: b, type: shell, if: '{{run.id}}', for_each: [a, b], run: cargo build, sandbox: { network: true } }",
    );
    expect(places(rule, yaml)).toEqual(['3:68 uncached-expensive-step']);
  });

  it('says nothing when the cache is on (on the step or in defaults), or explicitly off', () => {
    const on = steps('  - { id: i, type: shell, run: npm ci, cache: { enabled: true, files: [package-lock.json] } }');
    const onByDefault = `name: w\ndefaults: { cache: { enabled: true, files: [package-lock.json] } }\nsteps:\n  - { id: i, type: shell, run: npm ci }\n`;
    const off = steps('  - { id: i, type: shell, run: npm ci, cache: { enabled: false } }');
    const offByDefault = `name: w\ndefaults: { cache: { enabled: false } }\nsteps:\n  - { id: i, type: shell, run: npm ci }\n`;
    for (const yaml of [on, onByDefault, off, offByDefault]) expect(places(rule, yaml)).toEqual([]);
  });

  it('says nothing of scripts with effects a cache hit would skip, or without an expensive command', () => {
    expect(places(rule, steps('  - { id: p, type: shell, run: npm ci && npm publish }'))).toEqual([]);
    expect(places(rule, steps('  - { id: t, type: shell, run: npm test }'))).toEqual([]);
    expect(places(rule, steps('  - { id: a, type: claude_code, prompt: run npm ci }'))).toEqual([]);
  });
});

describe('for-each-unbounded', () => {
  const rule = forEachUnbounded;

  it('reports a templated for_each without max_parallel, at the for_each', () => {
    const yaml = steps(
      '  - id: fix',
      '    type: shell',
      "    for_each: '{{json inputs.files}}'",
      '    run: echo',
    ).replace('steps:', 'inputs: { files: { type: array } }\nsteps:');
    expect(places(rule, yaml)).toEqual(['6:15 for-each-unbounded']);
    expect(messages(rule, yaml)).toEqual([
      'step "fix": for_each without max_parallel starts every item at once (how many is known only at run time); set max_parallel',
    ]);
  });

  it('reports a literal list longer than the limit, and not a short one or a bounded one', () => {
    const long = steps(`  - { id: a, type: shell, for_each: [${'x,'.repeat(10)}x], run: echo }`);
    expect(messages(rule, long)).toEqual([
      'step "a": for_each without max_parallel starts all 11 items at once; set max_parallel',
    ]);
    expect(places(rule, steps(`  - { id: a, type: shell, for_each: [${'x,'.repeat(9)}x], run: echo }`))).toEqual([]);
    expect(
      places(rule, steps("  - { id: a, type: shell, for_each: '{{json run}}', max_parallel: 2, run: echo }")),
    ).toEqual([]);
  });
});

describe('missing-timeout', () => {
  const rule = missingTimeout;

  it('reports shell, claude_code and webhook steps with no timeout, at their ids', () => {
    const yaml = steps(
      '  - { id: a, type: shell, run: echo }',
      '  - { id: b, type: claude_code, prompt: hi }',
      '  - { id: c, type: webhook, url: "https://example.com" }',
      "  - { id: d, type: assert, that: 'true' }",
      '  - { id: e, type: template, template: x, output: x.txt }',
      '  - { id: f, type: shell, run: echo, timeout: 5m }',
    );
    expect(places(rule, yaml)).toEqual(['3:11 missing-timeout', '4:11 missing-timeout', '5:11 missing-timeout']);
    expect(messages(rule, yaml)[0]).toBe(
      'step "a": no timeout, so the language default of 1h applies; set timeout (here or in defaults) to how long it should take',
    );
  });

  it('says nothing when defaults set a timeout', () => {
    expect(
      places(rule, `name: w\ndefaults: { timeout: 10m }\nsteps:\n  - { id: a, type: shell, run: echo }\n`),
    ).toEqual([]);
  });
});

describe('timeout-too-large', () => {
  const rule = timeoutTooLarge;

  it('reports a step timeout over 6h, at the value', () => {
    const yaml = steps('  - id: soak', '    type: shell', '    run: ./soak.sh', '    timeout: 6h1m');
    expect(places(rule, yaml)).toEqual(['6:14 timeout-too-large']);
    expect(messages(rule, yaml)).toEqual([
      'step "soak": timeout 6h1m is longer than 6h: a hung step holds its worker that long before it fails; shorten it, or say in a comment why it needs that long',
    ]);
  });

  it('reports defaults.timeout over 6h once, when a step inherits it', () => {
    const inherits = `name: w\ndefaults:\n  timeout: 1d\nsteps:\n  - { id: a, type: shell, run: echo }\n  - { id: b, type: shell, run: echo }\n`;
    expect(places(rule, inherits)).toEqual(['3:12 timeout-too-large']);
    expect(places(rule, inherits.replace(/run: echo \}/g, 'run: echo, timeout: 1m }'))).toEqual([]);
  });

  it('says nothing of 6h exactly, or of a long timeout explained in a comment', () => {
    expect(places(rule, steps('  - { id: a, type: shell, run: echo, timeout: 6h }'))).toEqual([]);
    const explained = steps(
      '  - id: soak',
      '    type: shell',
      '    run: ./soak.sh',
      '    # the soak test runs for 8 hours by design',
      '    timeout: 9h',
    );
    expect(places(rule, explained)).toEqual([]);
  });
});

describe('agent-without-max-turns', () => {
  const rule = agentWithoutMaxTurns;

  it('reports a claude_code step without max_turns, at its id', () => {
    const yaml = steps('  - id: fix', '    type: claude_code', '    prompt: Fix it');
    expect(places(rule, yaml)).toEqual(['3:9 agent-without-max-turns']);
    expect(messages(rule, yaml)).toEqual([
      'step "fix": no max_turns, so only the timeout stops an agent that goes in circles; set max_turns',
    ]);
  });

  it('says nothing with max_turns, or of other step types', () => {
    expect(places(rule, steps('  - { id: fix, type: claude_code, prompt: Fix, max_turns: 5 }'))).toEqual([]);
    expect(places(rule, steps('  - { id: a, type: shell, run: claude -p hi }'))).toEqual([]);
  });
});

describe('serial-chain', () => {
  const rule = serialChain;
  const reviews = (count: number) =>
    steps(
      ...Array.from({ length: count }, (_, i) =>
        i === 0
          ? '  - { id: r0, type: claude_code, prompt: Review }'
          : `  - { id: r${i}, type: claude_code, needs: [r${i - 1}], prompt: Review }`,
      ),
    );

  it('reports four read-only agents in a line, once, at the first link', () => {
    expect(places(rule, reviews(4))).toEqual(['4:42 serial-chain']);
    expect(messages(rule, reviews(5))).toEqual([
      'step "r1": "r0" → "r1" → "r2" → "r3" → "r4" run one after another, but none reads the one before it and none changes what the next sees (a read-only agent changes nothing but its outputs); let them run in parallel',
    ]);
  });

  it('says nothing of three in a line', () => {
    expect(places(rule, reviews(3))).toEqual([]);
  });

  it('says nothing of a line where a step reads the one before, or edits the workspace', () => {
    const reads = reviews(4).replace(
      'needs: [r2], prompt: Review',
      "needs: [r2], prompt: 'Check {{steps.r2.outputs.result}}'",
    );
    const edits = reviews(4).replace('id: r1, type: claude_code,', 'id: r1, type: claude_code, profile: edit-code,');
    expect(places(rule, reads)).toEqual([]);
    expect(places(rule, edits)).toEqual([]);
  });

  it('says nothing of a line of shell steps, which share the workspace', () => {
    const yaml = steps(
      '  - { id: a, type: shell, run: npm ci }',
      '  - { id: b, type: shell, needs: [a], run: npm run build }',
      '  - { id: c, type: shell, needs: [b], run: npm test }',
      '  - { id: d, type: shell, needs: [c], run: npm pack }',
    );
    expect(places(rule, yaml)).toEqual([]);
  });

  it('stops the line where a step is needed by two', () => {
    const yaml = `${reviews(4).trimEnd()}\n  - { id: side, type: shell, needs: [r1], run: echo }\n`;
    expect(places(rule, yaml)).toEqual([]);
  });
});

describe('too-many-steps', () => {
  const rule = tooManySteps;
  const many = (count: number) =>
    steps(...Array.from({ length: count }, (_, i) => `  - { id: s${i}, type: shell, run: echo }`));

  it(`reports more than ${STEP_LIMIT} steps, at the steps key`, () => {
    expect(places(rule, many(STEP_LIMIT + 1))).toEqual(['2:1 too-many-steps']);
    expect(messages(rule, many(STEP_LIMIT + 1))).toEqual([
      `workflow has ${STEP_LIMIT + 1} steps, more than ${STEP_LIMIT}; turn repeated steps into one for_each step, or split the workflow`,
    ]);
  });

  it(`says nothing of ${STEP_LIMIT}`, () => {
    expect(places(rule, many(STEP_LIMIT))).toEqual([]);
  });
});

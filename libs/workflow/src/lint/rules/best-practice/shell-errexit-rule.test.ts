import { describe, expect, it } from '@jest/globals';

import { lintYaml, placesOf } from '../../test-support/lint-yaml.js';
import { shellWithoutErrexit } from './shell-errexit-rule.js';

function shellStep(shell: string, script: string): string {
  const body = script
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
  return `name: w\nsteps:\n  - id: a\n    type: shell\n    shell: ${shell}\n    run: |\n${body}\n`;
}

const TWO_COMMANDS = 'make build\nmake publish';

describe('shell-without-errexit', () => {
  it('reports a POSIX shell without -e running several commands, at its shell:', () => {
    const findings = lintYaml(shellStep('bash', TWO_COMMANDS), [shellWithoutErrexit]);
    expect(placesOf(findings)).toEqual(['5:12 shell-without-errexit']);
    expect(findings[0]?.message).toMatch(/^step "a": shell "bash" runs the script without -e/);
  });

  it.each(['sh', '/bin/bash -o pipefail', '/usr/bin/env zsh', 'bash -x', 'dash +e'])('reports `shell: %s`', (shell) => {
    expect(lintYaml(shellStep(shell, TWO_COMMANDS), [shellWithoutErrexit])).toHaveLength(1);
  });

  it('reports one line holding two commands', () => {
    expect(lintYaml(shellStep('bash', 'make build; make publish'), [shellWithoutErrexit])).toHaveLength(1);
  });

  it.each(['bash -e', 'bash -eu -o pipefail', 'sh -o errexit', '/usr/bin/env bash -euo pipefail', 'python3', 'node'])(
    'stays quiet on `shell: %s`',
    (shell) => {
      expect(lintYaml(shellStep(shell, TWO_COMMANDS), [shellWithoutErrexit])).toEqual([]);
    },
  );

  it('stays quiet when the script begins with set -e, or is one command (continued lines included)', () => {
    for (const script of [
      '# strict mode\nset -euo pipefail\nmake build\nmake publish',
      'set -o errexit\nmake build\nmake publish',
      'make build',
      'docker run \\\n  --rm image',
    ]) {
      expect(lintYaml(shellStep('bash', script), [shellWithoutErrexit])).toEqual([]);
    }
  });

  it('stays quiet on the default shell', () => {
    expect(lintYaml(`name: w\nsteps:\n  - { id: a, type: shell, run: "a\\nb" }\n`, [shellWithoutErrexit])).toEqual([]);
  });
});

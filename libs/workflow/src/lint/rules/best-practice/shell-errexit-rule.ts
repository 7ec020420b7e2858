import type { LintRule } from '../../lint-rule.js';

/** Shells whose scripts go on after a failed command unless `-e` (errexit) is set. */
const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'yash']);

/** `-e`, `-eu`, `-euo` (and so on) or `-o errexit`, among the words after the program. */
function setsErrexit(words: readonly string[]): boolean {
  return words.some((word, i) => /^-[a-zA-Z]*e[a-zA-Z]*$/.test(word) || (word === '-o' && words[i + 1] === 'errexit'));
}

/** The program and its arguments; `/usr/bin/env bash -e` is bash with `-e`. */
function shellCommand(shell: string): { program: string; args: string[] } {
  const words = shell.trim().split(/\s+/);
  const at = words[0]?.split('/').pop() === 'env' ? words.findIndex((w, i) => i > 0 && !w.startsWith('-')) : 0;
  return { program: words[at]?.split('/').pop() ?? '', args: words.slice(at + 1) };
}

/** The script's commands: lines joined at trailing backslashes, without blanks and comments. */
function commandLines(script: string): string[] {
  return script
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** One command has no middle to fail in; a script that opens with `set -e` sets it itself. */
function scriptIsGuarded(script: string): boolean {
  const lines = commandLines(script);
  if (lines.length <= 1 && !lines.some((line) => line.includes(';'))) return true;
  const first = lines[0]?.split(/\s+/) ?? [];
  return first[0] === 'set' && setsErrexit(first.slice(1));
}

export const shellWithoutErrexit: LintRule = {
  id: 'shell-without-errexit',
  category: 'best-practice',
  severity: 'warning',
  summary: 'A shell step sets its own `shell:` without `-e`, so a command failing mid-script does not fail the step.',
  docs: {
    why:
      'A shell step fails when its script exits non-zero, and a script exits with the status of its last ' +
      'command. The default shell, `bash -e -o pipefail`, stops at the first failing command; a custom ' +
      '`shell: bash` does not, so in `make build` then `make publish` a broken build is published and the ' +
      'step succeeds. Only POSIX shells are checked (sh, bash, zsh, dash, ksh, ash, mksh, yash): ' +
      'interpreters such as `python3` stop at an uncaught error by themselves. A one-command script, and ' +
      'a script whose first command is `set -e` (or `set -euo pipefail`), are fine.',
    fix:
      'Add `-e` (better `-e -o pipefail`) to `shell:`, drop `shell:` to get the default, or start the ' +
      'script with `set -euo pipefail`.',
    bad:
      'version: 1\nname: release\nsteps:\n  - id: publish\n    type: shell\n    shell: bash\n' +
      '    run: |\n      make build\n      make publish\n',
    good:
      'version: 1\nname: release\nsteps:\n  - id: publish\n    type: shell\n    shell: bash -e -o pipefail\n' +
      '    run: |\n      make build\n      make publish\n',
  },
  check(context) {
    for (const step of context.definition.steps) {
      if (step.type !== 'shell' || step.shell === undefined) continue;
      const { program, args } = shellCommand(step.shell);
      if (!POSIX_SHELLS.has(program) || setsErrexit(args) || scriptIsGuarded(step.run)) continue;
      context.report({
        message: `step "${step.id}": shell "${step.shell}" runs the script without -e, so a command that fails mid-script does not fail the step; add -e or begin the script with "set -e"`,
        path: ['steps', context.indexOf(step.id), 'shell'],
        stepId: step.id,
      });
    }
  },
};

import type { SourceSpan } from '@flowline/core';

import type { LintContext } from '../lint-rule.js';
import { programWords } from './security-commands.js';
import { type ShellScript, placeInText, shellScripts } from './security-scripts.js';
import { type ShellPipeline, unquoted } from './security-shell.js';

/**
 * The commands the cache rules care about, found with the lint's shell
 * parser (security-shell.ts: quotes, comments, here-documents and
 * substitutions understood) and matched on a command's program and
 * arguments, keywords, assignments and wrappers (`sudo`, `env`, `timeout`)
 * stepped over. So `echo "run npm ci"`, `# npm ci` and `tsc=$(…)` are not
 * taken for the commands they mention.
 */

/** A command doing expensive, deterministic work from workspace files: its result is worth caching. */
export interface ExpensiveCommand {
  /** The command as the script writes it, unquoted (`npm ci`), for the message. */
  readonly text: string;
  /** Where its program word starts in the script. */
  readonly offset: number;
  /** What its result depends on, suggested for `cache.files`. */
  readonly files: readonly string[];
}

/** The end of a command word: `tsc` in `tsc -p .`, not `tscx`. */
const END = String.raw`(?=\s|$)`;
/** Flags only (`--no-audit`, `-j4`, `--prefix=web`), no package names or targets. */
const FLAGS = String.raw`(?:\s+-[\w-]+(?:=\S+)?)*\s*$`;

function commandPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern}`);
}

const EXPENSIVE: readonly { readonly pattern: RegExp; readonly files: readonly string[] }[] = [
  { pattern: commandPattern(`npm (?:ci|install|i)${FLAGS}`), files: ['package-lock.json'] },
  { pattern: commandPattern(`yarn(?: install)?${FLAGS}`), files: ['yarn.lock'] },
  { pattern: commandPattern(`pnpm (?:install|i)${FLAGS}`), files: ['pnpm-lock.yaml'] },
  { pattern: commandPattern(`(?:python3? -m )?pip3? install${END}`), files: ['requirements*.txt'] },
  { pattern: commandPattern(`poetry install${END}`), files: ['poetry.lock'] },
  { pattern: commandPattern(`bundle install${END}`), files: ['Gemfile.lock'] },
  { pattern: commandPattern(`(?:npx )?tsc${END}`), files: ['tsconfig*.json', 'src/**'] },
  {
    pattern: commandPattern(`(?:npm run|yarn(?: run)?|pnpm(?: run)?) build${END}`),
    files: ['package-lock.json', 'src/**'],
  },
  { pattern: commandPattern(`cargo build${END}`), files: ['Cargo.lock', 'src/**'] },
  { pattern: commandPattern(`go build${END}`), files: ['go.sum', '**/*.go'] },
  {
    pattern: commandPattern(String.raw`make(?:\s+-[\w-]+)*(?:\s+(?:all|build|compile))?${FLAGS}`),
    files: ['Makefile', 'src/**'],
  },
  {
    pattern: commandPattern(String.raw`(?:mvn|\./mvnw)(?:\s+-\S+)*\s+(?:package|verify|compile)${END}`),
    files: ['pom.xml', 'src/**'],
  },
  {
    pattern: commandPattern(String.raw`(?:gradle|\./gradlew)(?:\s+-\S+)*\s+(?:build|assemble)${END}`),
    files: ['build.gradle*', 'src/**'],
  },
];

/**
 * Commands whose effect lies outside the workspace: a cache hit would skip
 * them, so a script running one is not a candidate for caching. Also any
 * command naming deploy or publish (`./deploy.sh`, `npm run publish:docs`).
 */
const SIDE_EFFECTS =
  /^(?:(?:npm|yarn|pnpm|cargo) publish|git push|docker push|gem push|twine upload|kubectl|helm|terraform|aws|gcloud|az|gh|curl|wget|scp|rsync|ssh)\b|deploy|publish/;

/** Each command the script runs, as its program and arguments (unquoted, joined by spaces) and where it starts. */
function commandLines(pipelines: readonly ShellPipeline[]): { line: string; offset: number }[] {
  return pipelines.flatMap((pipeline) =>
    pipeline.flatMap((command) => {
      const words = programWords(command);
      return words.length === 0
        ? []
        : [{ line: words.map((word) => unquoted(word)).join(' '), offset: words[0]!.start }];
    }),
  );
}

/** The first expensive, deterministic command the script runs, if any. */
export function expensiveCommand(pipelines: readonly ShellPipeline[]): ExpensiveCommand | undefined {
  for (const { line, offset } of commandLines(pipelines)) {
    for (const { pattern, files } of EXPENSIVE) {
      const match = pattern.exec(line);
      if (match !== null) return { text: match[0].trim(), offset, files };
    }
  }
  return undefined;
}

/** Whether the script runs a command whose effect a cache hit would skip (see SIDE_EFFECTS). */
export function hasSideEffects(pipelines: readonly ShellPipeline[]): boolean {
  return commandLines(pipelines).some(({ line }) => SIDE_EFFECTS.test(line));
}

/** The parsed script of a shell step, when its interpreter is a POSIX-like shell. */
export function shellScriptOf(context: LintContext, stepId: string): ShellScript | undefined {
  return shellScripts(context).find((script) => script.step.id === stepId);
}

/** The place in the file of an offset in a step's script. */
export function placeInScript(context: LintContext, script: ShellScript, offset: number): SourceSpan {
  return context.positions.templateSpan(script.path, script.source, placeInText(script.source, offset));
}

import type { SourceSpan } from '@flowline/core';

import type { ValuePath } from '../../source/source-positions.js';
import type { LintContext } from '../lint-rule.js';

/**
 * Reading shell scripts for the commands the cache rules care about. Not a
 * shell parser: a script is cut into simple commands at `&&`, `||`, `;`, `|`,
 * `&`, parentheses, backquotes, `$(` and line ends, comment lines are dropped,
 * and each command is matched at its start (after `then`, `do`, `time`,
 * `sudo`, `env`-style `NAME=value` prefixes). A command named only inside
 * quotes (`echo "run npm ci"`) is therefore not taken for one.
 */

/** A command doing expensive, deterministic work from workspace files: its result is worth caching. */
export interface ExpensiveCommand {
  /** The command as the script writes it (`npm ci`), for the message. */
  readonly text: string;
  /** The whole simple command it starts (`npm ci --no-audit`), to find its place in the script. */
  readonly command: string;
  /** What its result depends on, suggested for `cache.files`. */
  readonly files: readonly string[];
}

/** The end of a command word: `tsc` in `tsc -p .`, not in `tsc=$(…)` or `tscx`. */
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

/** What may stand before a command: keywords, `NAME=value` assignments. */
const PREFIX_PART = String.raw`(?:(?:then|do|else|elif|time|sudo|exec|command|!)\s+|[A-Za-z_][A-Za-z0-9_]*=\S*\s+)`;
const PREFIX = new RegExp(`^${PREFIX_PART}+`);
/** A line's text before a command: a separator or nothing, then prefixes. */
const BEFORE_COMMAND = new RegExp(String.raw`(?:^|&&|\|\||\$\(|[;|&()\x60])\s*${PREFIX_PART}*$`);

/** The simple commands of a script, trimmed, comment lines and blanks left out. */
export function commandsOf(script: string): string[] {
  return withoutComments(script)
    .split('\n')
    .flatMap((line) => line.split(/&&|\|\||\$\(|[;|&()`]/))
    .map((command) => command.trim().replace(PREFIX, ''))
    .filter((command) => command !== '');
}

/** The first expensive, deterministic command the script runs, if any. */
export function expensiveCommand(script: string): ExpensiveCommand | undefined {
  for (const command of commandsOf(script)) {
    for (const { pattern, files } of EXPENSIVE) {
      const match = pattern.exec(command);
      if (match !== null) return { text: match[0].trim(), command, files };
    }
  }
  return undefined;
}

/** Whether the script runs a command whose effect a cache hit would skip (see SIDE_EFFECTS). */
export function hasSideEffects(script: string): boolean {
  return commandsOf(script).some((command) => SIDE_EFFECTS.test(command));
}

/**
 * The first occurrence of `needle` in `source` (a script as written in the
 * file, maybe indented) that is not on a comment line and that `accept`
 * takes, given the line's text before it; -1 when there is none.
 */
export function scriptOffset(source: string, needle: string, accept: (before: string) => boolean = () => true): number {
  for (let at = source.indexOf(needle); at !== -1; at = source.indexOf(needle, at + 1)) {
    const before = source.slice(source.lastIndexOf('\n', at) + 1, at);
    if (!/^\s*#/.test(before) && accept(before)) return at;
  }
  return -1;
}

/** Where `command` runs in `source`: an occurrence that starts a command, not one inside an argument. */
export function commandOffset(source: string, command: string): number {
  return scriptOffset(source, command, (before) => BEFORE_COMMAND.test(before));
}

/** The script without its comment lines: what it runs. */
export function withoutComments(script: string): string {
  return script
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
}

/**
 * The span of `needle` in the script at `path`, at the occurrence `find`
 * picks in the script's text as written (`scriptOffset`: the first outside
 * comment lines); the first occurrence anywhere, or the script, otherwise.
 */
export function scriptSpan(
  context: LintContext,
  path: ValuePath,
  needle: string,
  find: (source: string, needle: string) => number = scriptOffset,
): SourceSpan {
  const range = context.positions.valueOffsets(path);
  const at = range === undefined ? -1 : find(context.text.slice(range[0], range[1]), needle);
  if (range === undefined || at === -1) return context.spanOf(path, needle);
  return context.positions.spanOfOffsets(range[0] + at, range[0] + at + needle.length);
}

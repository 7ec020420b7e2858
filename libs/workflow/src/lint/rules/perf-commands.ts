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
  /** The command as the script writes it (`npm ci`), for the message and its place. */
  readonly text: string;
  /** What its result depends on, suggested for `cache.files`. */
  readonly files: readonly string[];
}

/** Flags only (`--no-audit`, `-j4`, `--prefix=web`), no package names or targets. */
const FLAGS = String.raw`(?:\s+-[\w-]+(?:=\S+)?)*\s*$`;

const EXPENSIVE: readonly { readonly pattern: RegExp; readonly files: readonly string[] }[] = [
  { pattern: new RegExp(`^npm (?:ci|install|i)${FLAGS}`), files: ['package-lock.json'] },
  { pattern: new RegExp(`^yarn(?: install)?${FLAGS}`), files: ['yarn.lock'] },
  { pattern: new RegExp(`^pnpm (?:install|i)${FLAGS}`), files: ['pnpm-lock.yaml'] },
  { pattern: /^(?:python3? -m )?pip3? install\b/, files: ['requirements*.txt'] },
  { pattern: /^poetry install\b/, files: ['poetry.lock'] },
  { pattern: /^bundle install\b/, files: ['Gemfile.lock'] },
  { pattern: /^(?:npx )?tsc\b/, files: ['tsconfig*.json', 'src/**'] },
  { pattern: /^(?:npm run|yarn(?: run)?|pnpm(?: run)?) build\b/, files: ['package-lock.json', 'src/**'] },
  { pattern: /^cargo build\b/, files: ['Cargo.lock', 'src/**'] },
  { pattern: /^go build\b/, files: ['go.sum', '**/*.go'] },
  {
    pattern: new RegExp(`^make(?:\\s+-[\\w-]+)*(?:\\s+(?:all|build|compile))?${FLAGS}`),
    files: ['Makefile', 'src/**'],
  },
  { pattern: /^(?:mvn|\.\/mvnw)(?:\s+-\S+)*\s+(?:package|verify|compile)\b/, files: ['pom.xml', 'src/**'] },
  { pattern: /^(?:gradle|\.\/gradlew)(?:\s+-\S+)*\s+(?:build|assemble)\b/, files: ['build.gradle*', 'src/**'] },
];

/**
 * Commands whose effect lies outside the workspace: a cache hit would skip
 * them, so a script running one is not a candidate for caching. Also any
 * command naming deploy or publish (`./deploy.sh`, `npm run publish:docs`).
 */
const SIDE_EFFECTS =
  /^(?:(?:npm|yarn|pnpm|cargo) publish|git push|docker push|gem push|twine upload|kubectl|helm|terraform|aws|gcloud|az|gh|curl|wget|scp|rsync|ssh)\b|deploy|publish/;

/** Strips what may stand before a command: keywords, `NAME=value` assignments. */
const PREFIX = /^(?:(?:then|do|else|elif|time|sudo|exec|command|!)\s+|[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/;

/** The simple commands of a script, trimmed, comment lines and blanks left out. */
export function commandsOf(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .flatMap((line) => line.split(/&&|\|\||\$\(|[;|&()`]/))
    .map((command) => command.trim().replace(PREFIX, ''))
    .filter((command) => command !== '');
}

/** The first expensive, deterministic command the script runs, if any. */
export function expensiveCommand(script: string): ExpensiveCommand | undefined {
  for (const command of commandsOf(script)) {
    for (const { pattern, files } of EXPENSIVE) {
      const match = pattern.exec(command);
      if (match !== null) return { text: match[0].trim(), files };
    }
  }
  return undefined;
}

/** Whether the script runs a command whose effect a cache hit would skip (see SIDE_EFFECTS). */
export function hasSideEffects(script: string): boolean {
  return commandsOf(script).some((command) => SIDE_EFFECTS.test(command));
}

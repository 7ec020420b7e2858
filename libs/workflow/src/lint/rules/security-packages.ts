import type { ShellFinding } from './security-scripts.js';
import { programName, programWords } from './security-commands.js';
import { type ShellPipeline, type ShellWord, unquoted } from './security-shell.js';

/** `name@1.2.3`, `@scope/name@1.2.3`, prereleases and build metadata included. */
const EXACT_VERSION = /^(?:@[^/\s@]+\/)?[^/\s@]+@v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** A git or tarball spec pinned to a full commit. */
const PINNED_COMMIT = /#[0-9a-f]{40}$/;
/** Options that keep npx to what is installed locally: nothing is downloaded. */
const LOCAL_ONLY = new Set(['--no-install', '--no', '--yes=false']);
/** How each runner runs what is installed locally, for the fix. */
const LOCAL_RUN: Readonly<Record<string, string>> = {
  'pnpm dlx': 'pnpm exec',
  pnpx: 'pnpm exec',
  'yarn dlx': 'yarn run',
  bunx: 'bun run',
  'bun x': 'bun run',
};

/**
 * Package runners that download what is not installed: `npx`, `npm exec`
 * (`npm x`), `pnpm dlx`, `pnpx`, `yarn dlx`, `bunx`, `bun x`. Each package
 * they would fetch (`-p`/`--package`, else the first operand) must name an
 * exact version; `--no-install`/`--no` (local only), local paths and specs
 * with a `$` or `{{` (decided at run time) are left alone.
 */
export function unpinnedPackageRuns(pipelines: readonly ShellPipeline[]): ShellFinding[] {
  const findings: ShellFinding[] = [];
  for (const command of pipelines.flat()) {
    const run = packageRun(programWords(command));
    if (run === undefined) continue;
    for (const spec of packagesFetched(run.args)) {
      const message = unpinnedMessage(run.runner, spec.text);
      if (message !== undefined) findings.push({ offset: spec.offset, message });
    }
  }
  return findings;
}

function packageRun(words: readonly ShellWord[]): { runner: string; args: readonly ShellWord[] } | undefined {
  const name = programName(words);
  const sub = words[1] === undefined ? '' : unquoted(words[1]);
  if (name === 'npx' || name === 'pnpx' || name === 'bunx') return { runner: name, args: words.slice(1) };
  const runsPackages =
    (name === 'npm' && (sub === 'exec' || sub === 'x')) ||
    ((name === 'pnpm' || name === 'yarn') && sub === 'dlx') ||
    (name === 'bun' && sub === 'x');
  return runsPackages ? { runner: `${name} ${sub}`, args: words.slice(2) } : undefined;
}

interface Spec {
  readonly text: string;
  readonly offset: number;
}

/** The packages a runner would fetch; none when it is told to stay local. */
function packagesFetched(args: readonly ShellWord[]): Spec[] {
  const packages: Spec[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = unquoted(args[i]!);
    if (LOCAL_ONLY.has(arg)) return [];
    if (arg === '-c' || arg === '--call') return packages; // the command is a script that runs the -p packages
    if (arg === '-p' || arg === '--package') {
      if (args[i + 1] !== undefined) packages.push(specOf(args[i + 1]!));
      i += 1;
    } else if (arg.startsWith('--package=')) {
      packages.push({ text: arg.slice('--package='.length), offset: args[i]!.start + '--package='.length });
    } else if (arg === '--' || !arg.startsWith('-')) {
      const operand = arg === '--' ? args[i + 1] : args[i];
      return packages.length > 0 || operand === undefined ? packages : [specOf(operand)];
    }
  }
  return packages;
}

function specOf(word: ShellWord): Spec {
  return { text: unquoted(word), offset: word.start };
}

function unpinnedMessage(runner: string, spec: string): string | undefined {
  if (spec.includes('$') || spec.includes('{{') || /^(?:\.|\/|~|file:)/.test(spec)) return undefined;
  if (EXACT_VERSION.test(spec) || PINNED_COMMIT.test(spec)) return undefined;
  const name = /^(@?[^@]+)(?:@(.*))?$/.exec(spec);
  const version = name?.[2];
  const what = version === undefined ? 'without a version' : `at "${version}", which is not an exact version`;
  return (
    `runs ${spec} with ${runner} ${what}: the registry decides what runs (a typo, a hijacked release), ` +
    `so pin it (${name?.[1] ?? spec}@1.2.3) or run the local install (${LOCAL_RUN[runner] ?? 'npx --no-install'})`
  );
}

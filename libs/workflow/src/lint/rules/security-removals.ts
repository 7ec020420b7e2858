import type { ShellFinding } from './security-scripts.js';
import { isRedirection, programName, programWords } from './security-commands.js';
import { type ShellCommand, type ShellPipeline, type ShellWord, unquoted } from './security-shell.js';

/** An env variable whose value is a template: what a run puts there is not known here. */
export interface TemplatedVariable {
  /** The value starts with a template, so it may render empty (`{{inputs.dir}}`), unlike `build/{{x}}`. */
  readonly mayBeEmpty: boolean;
}

const EXPANSION = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/;

/**
 * `rm` with `-r` or `-f` on a path decided at run time: a `{{…}}` template
 * spliced into the path, or an env variable with a templated value expanded
 * unguarded — unquoted (split on spaces and globbed), or quoted but followed
 * by `/` when the value may be empty (`"$DIR/build"` → `/build`). `${DIR:?}`
 * and every other `${DIR…}` form are taken as deliberate; `"$DIR"` alone is
 * fine (an empty value is `rm ""`, which fails).
 */
export function templatedRemovals(
  pipelines: readonly ShellPipeline[],
  templated: ReadonlyMap<string, TemplatedVariable>,
): ShellFinding[] {
  return pipelines.flat().flatMap((command) => {
    const operands = forcedRemovalOperands(command);
    return operands.flatMap((word) => riskyOperand(word, templated));
  });
}

/** The path operands of `rm -r`/`rm -f`, or none for another command or a plain `rm`. */
function forcedRemovalOperands(command: ShellCommand): readonly ShellWord[] {
  const words = programWords(command);
  if (programName(words) !== 'rm') return [];
  let forced = false;
  const operands: ShellWord[] = [];
  let options = true;
  for (const word of words.slice(1)) {
    const arg = unquoted(word);
    if (options && arg === '--') options = false;
    else if (options && /^--(?:recursive|force)$|^-[a-zA-Z]*[rRf]/.test(arg)) forced = true;
    else if (!(options && arg.startsWith('-')) && !isRedirection(word)) operands.push(word);
  }
  return forced ? operands : [];
}

function riskyOperand(word: ShellWord, templated: ReadonlyMap<string, TemplatedVariable>): ShellFinding[] {
  const template = word.raw.indexOf('{{');
  if (template !== -1) {
    const message = `rm ${word.raw} splices a template into the path: the value becomes part of the command, so "a /" or "../.." removes what it names; pass it through env and write "\${DIR:?}"`;
    return [{ offset: word.start + template, message }];
  }
  const expansion = unguardedExpansion(word.raw, templated);
  if (expansion === undefined) return [];
  return [{ offset: word.start + expansion.index, message: `rm ${word.raw}: ${expansion.why}` }];
}

/** The first expansion of a templated variable in `raw` that can remove more than it names. */
function unguardedExpansion(
  raw: string,
  templated: ReadonlyMap<string, TemplatedVariable>,
): { index: number; why: string } | undefined {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') i += 1;
    else if (c === "'" && quote !== '"') quote = quote === "'" ? undefined : "'";
    else if (c === '"' && quote !== "'") quote = quote === '"' ? undefined : '"';
    else if (c === '$' && quote !== "'") {
      const match = EXPANSION.exec(raw.slice(i));
      const name = match?.[1] ?? match?.[2];
      const variable = name === undefined ? undefined : templated.get(name);
      if (name === undefined || variable === undefined) continue;
      const rest = unquoted(raw.slice(i + match![0].length));
      if (quote === undefined) return { index: i, why: unquotedWhy(name) };
      if (variable.mayBeEmpty && rest.startsWith('/')) return { index: i, why: emptyWhy(name, rest) };
    }
  }
  return undefined;
}

function unquotedWhy(name: string): string {
  return `$${name} comes from a template and is not quoted, so a value with spaces or "*" names other paths; write "\${${name}:?}"`;
}

function emptyWhy(name: string, rest: string): string {
  return `$${name} comes from a template that may render empty, and then this removes ${rest}; write "\${${name}:?}${rest}"`;
}

import { type ShellCommand, type ShellWord, unquoted } from './security-shell.js';

/** Words that may come before the program a command runs. */
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time', 'exec', 'command']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Wrappers that run the rest of the line as a command, and their options that take a value. */
const WRAPPERS: Readonly<Record<string, ReadonlySet<string>>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U']),
  env: new Set(['-u', '-C', '-S']),
  nohup: new Set(),
  nice: new Set(['-n']),
  timeout: new Set(['-s', '-k']),
};

/**
 * The program a command runs and its arguments: keywords (`if`, `do`, `!`),
 * assignments (`A=1 cmd`) and wrappers (`sudo`, `env`, `nohup`, `nice`,
 * `timeout 5m`) are stepped over. Empty when the command only assigns.
 */
export function programWords(command: ShellCommand): readonly ShellWord[] {
  let i = 0;
  while (i < command.length) {
    const word = unquoted(command[i]!);
    if (KEYWORDS.has(word) || ASSIGNMENT.test(command[i]!.raw)) i += 1;
    else if (Object.hasOwn(WRAPPERS, word)) i = afterWrapper(command, i, word);
    else break;
  }
  return command.slice(i);
}

function afterWrapper(command: ShellCommand, at: number, wrapper: string): number {
  const valued = WRAPPERS[wrapper]!;
  let i = at + 1;
  while (i < command.length) {
    const word = unquoted(command[i]!);
    if (valued.has(word)) i += 2;
    else if (word.startsWith('-') || ASSIGNMENT.test(word)) i += 1;
    else break;
  }
  // `timeout 5m cmd`: the duration comes before the command.
  if (wrapper === 'timeout' && i < command.length) i += 1;
  return i;
}

/** The program's name without its directory: `/usr/bin/curl` → `curl`. */
export function programName(words: readonly ShellWord[]): string {
  const first = words[0];
  return first === undefined ? '' : (unquoted(first).split('/').pop() ?? '');
}

/** A word that redirects (`>out`, `2>&1`, `<in`) rather than passes an argument. */
export function isRedirection(word: ShellWord): boolean {
  return /^[0-9&]*[<>]/.test(word.raw);
}

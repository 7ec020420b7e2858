import type { ShellFinding } from './security-scripts.js';
import { isRedirection, programName, programWords } from './security-commands.js';
import { type ShellPipeline, type ShellWord, unquoted } from './security-shell.js';

const FETCHERS = new Set(['curl', 'wget']);
const CHECK_FIRST = 'download it to a file, check its checksum, then run it';

/** How an interpreter takes code: from a flag's argument (`-c`), or from stdin. */
interface Interpreter {
  /** A flag after which the code comes from the command line, not from stdin. */
  readonly codeFlag: RegExp;
  /** A flag that makes it read the script from stdin even with arguments after it. */
  readonly stdinFlag?: RegExp;
  /** Flags that take the next word as their value. */
  readonly valued?: ReadonlySet<string>;
}

const SHELL: Interpreter = {
  codeFlag: /^-[a-zA-Z]*c[a-zA-Z]*$/,
  stdinFlag: /^-[a-zA-Z]*s[a-zA-Z]*$/,
  valued: new Set(['-o', '+o', '-O', '+O']),
};
const INTERPRETERS: readonly [RegExp, Interpreter][] = [
  [/^(?:sh|bash|zsh|dash|ksh|mksh|ash|fish)$/, SHELL],
  [/^python[0-9.]*$/, { codeFlag: /^-[a-zA-Z]*[cm][a-zA-Z]*$/ }],
  [/^(?:node|nodejs)$/, { codeFlag: /^(?:-[a-zA-Z]*[ep][a-zA-Z]*|--eval|--print)(?:=.*)?$/ }],
  [/^perl$/, { codeFlag: /^-[a-zA-Z]*[eE][a-zA-Z]*$/ }],
  [/^ruby$/, { codeFlag: /^-[a-zA-Z]*e[a-zA-Z]*$/ }],
  [/^php$/, { codeFlag: /^-r$/ }],
];

/** `<(curl …)` and `$(curl …)` / `` `curl …` `` inside a word, with the fetcher's place. */
const PROCESS_DOWNLOAD = /<\(\s*(curl|wget)\b/;
const COMMAND_DOWNLOAD = /(?:\$\(|`)\s*(curl|wget)\b/;

/**
 * Downloads run as code without a look: `curl … | sh` (any interpreter that
 * reads its script from stdin), `bash <(curl …)`, `source <(curl …)`,
 * `sh -c "$(curl …)"` and `eval "$(curl …)"`. Reported at the fetcher.
 */
export function downloadsRunAsCode(pipelines: readonly ShellPipeline[]): ShellFinding[] {
  return pipelines.flatMap((pipeline) => [...pipedIntoInterpreter(pipeline), ...pipeline.flatMap(substituted)]);
}

function pipedIntoInterpreter(pipeline: ShellPipeline): ShellFinding[] {
  const programs = pipeline.map(programWords);
  const fetcher = programs.findIndex((words) => FETCHERS.has(programName(words)));
  if (fetcher === -1) return [];
  const runner = programs.slice(fetcher + 1).find(readsScriptFromStdin);
  if (runner === undefined) return [];
  const fetched = programName(programs[fetcher]!);
  const message = `pipes a download (${fetched}) straight into ${programName(runner)}: whatever the server, or anyone on the way, sends runs unchecked; ${CHECK_FIRST}`;
  return [{ offset: programs[fetcher]![0]!.start, message }];
}

function readsScriptFromStdin(words: readonly ShellWord[]): boolean {
  const interpreter = interpreterOf(programName(words));
  if (interpreter === undefined) return false;
  const args = words.slice(1).filter((word) => !isRedirection(word));
  for (let i = 0; i < args.length; i++) {
    const arg = unquoted(args[i]!);
    if (arg === '-') return true;
    if (arg === '--') return args[i + 1] === undefined || unquoted(args[i + 1]!) === '-';
    if (interpreter.valued?.has(arg)) i += 1;
    else if (interpreter.stdinFlag?.test(arg)) return true;
    else if (interpreter.codeFlag.test(arg)) return false;
    else if (!/^[-+]/.test(arg)) return false; // a script file
  }
  return true;
}

function interpreterOf(name: string): Interpreter | undefined {
  return INTERPRETERS.find(([pattern]) => pattern.test(name))?.[1];
}

/** `bash <(curl …)`, `source <(curl …)`, `eval "$(curl …)"`, `sh -c "$(curl …)"`. */
function substituted(command: readonly ShellWord[]): ShellFinding[] {
  const words = programWords(command);
  const name = programName(words);
  const interpreter = interpreterOf(name);
  const args = words.slice(1);
  const findings: ShellFinding[] = [];
  if (interpreter !== undefined || name === 'source' || name === '.') {
    for (const word of args) findings.push(...found(word, PROCESS_DOWNLOAD, `${name} <(…)`));
  }
  const code =
    name === 'eval' ? args : args.filter((_, i) => i > 0 && interpreter?.codeFlag.test(unquoted(args[i - 1]!)));
  for (const word of code) findings.push(...found(word, COMMAND_DOWNLOAD, name === 'eval' ? 'eval' : `${name} -c`));
  return findings;
}

function found(word: ShellWord, pattern: RegExp, how: string): ShellFinding[] {
  const match = pattern.exec(word.raw);
  if (match === null) return [];
  const fetcher = match[1]!;
  const offset = word.start + match.index + match[0].length - fetcher.length;
  return [
    {
      offset,
      message: `runs a download (${fetcher}) as code with ${how}: whatever the server sends runs unchecked; ${CHECK_FIRST}`,
    },
  ];
}

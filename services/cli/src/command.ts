import type { ParseArgsConfig } from 'node:util';

import type { CliIo } from './cli-io.js';

/** One `flowline <name>` subcommand: its help and what it does. */
export interface Command {
  readonly name: string;
  /** One line for `flowline --help`. */
  readonly summary: string;
  /** `flowline validate FILE… [--json]` */
  readonly usage: string;
  /** Extra help lines after the option list. */
  readonly details?: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Option descriptions for help, by option name. */
  readonly optionHelp: Readonly<Record<string, string>>;
  /** How many positional arguments are allowed: [min, max]. */
  readonly positionals: readonly [number, number];
  run(args: ParsedCommand, io: CliIo): Promise<number>;
}

export interface ParsedCommand {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

import { parseArgs } from 'node:util';

import { errorMessage } from '@flowline/core';

import { type CliIo, EXIT, UsageError, painter } from './cli-io.js';
import type { Command, ParsedCommand } from './command.js';
import { cancelCommand } from './commands/cancel-command.js';
import { dlqCommand } from './commands/dlq-command.js';
import { graphCommand } from './commands/graph-command.js';
import { lintCommand } from './commands/lint-command.js';
import { logsCommand } from './commands/logs-command.js';
import { resumeCommand, retryCommand } from './commands/resume-command.js';
import { runCommand } from './commands/run-command.js';
import { runsCommand } from './commands/runs-command.js';
import { serveCommand } from './commands/serve-command.js';
import { statusCommand } from './commands/status-command.js';
import { submitCommand } from './commands/submit-command.js';
import { testCommand } from './commands/test-command.js';
import { tokenCommand } from './commands/token-command.js';
import { validateCommand } from './commands/validate-command.js';
import { VERSION } from './version.js';

/** Every subcommand, in the order `flowline --help` lists them. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  lintCommand,
  testCommand,
  graphCommand,
  runCommand,
  resumeCommand,
  retryCommand,
  runsCommand,
  logsCommand,
  submitCommand,
  statusCommand,
  cancelCommand,
  dlqCommand,
  serveCommand,
  tokenCommand,
];

/**
 * Runs `flowline ARGS…` and returns the exit status: 0 success, 1 the work
 * failed (an invalid workflow), 2 a usage error. Never calls process.exit, so
 * tests run it in-process.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (rest.includes('--version') || rest.includes('-V')) {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    return await command.run(parseCommand(command, rest), io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const paint = painter(io.stderr, io.env);
    const hint =
      error.command === undefined && command === undefined
        ? 'flowline --help'
        : `flowline ${command?.name ?? error.command} --help`;
    io.stderr.write(`flowline: ${paint.red('error')}: ${error.message}\nRun "${hint}" for usage.\n`);
    return EXIT.usage;
  }
}

function parseCommand(command: Command, args: readonly string[]): ParsedCommand {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages name the option; drop its advice about `--` and "strict".
    const message = errorMessage(error)
      .split('. ')[0]!
      .replace(/^Unknown option/, 'unknown option');
    throw new UsageError(message, command.name);
  }
  const [min, max] = command.positionals;
  const count = parsed.positionals.length;
  if (count < min)
    throw new UsageError(`${command.name} needs ${min === 1 ? 'a file' : `${min} arguments`}`, command.name);
  if (count > max)
    throw new UsageError(
      `${command.name} takes ${max === 1 ? 'one file' : `at most ${max} arguments`}, got ${count}`,
      command.name,
    );
  return { values: parsed.values, positionals: parsed.positionals };
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = [
    'flowline — run YAML workflows of shell, agent and check steps, locally or on a cluster',
    '',
    'Usage: flowline <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also after a command: flowline validate --help)',
    '  -V, --version  print the version',
    '',
    'Docs: docs/cli.md and docs/workflow-language.md',
  ];
  return `${lines.join('\n')}\n`;
}

function commandHelp(command: Command): string {
  const options = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.type === 'string' ? ' VALUE' : ''}`;
    return [flag, command.optionHelp[name] ?? ''] as const;
  });
  options.push(['-h, --help', 'show this help']);
  const width = Math.max(...options.map(([flag]) => flag.length));
  const lines = [
    command.summary,
    '',
    `Usage: ${command.usage}`,
    '',
    'Options:',
    ...options.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
  ];
  if (command.details !== undefined) lines.push('', command.details);
  return `${lines.join('\n')}\n`;
}

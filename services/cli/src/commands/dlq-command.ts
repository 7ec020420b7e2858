import type { InputType } from '@flowline/core';

import { type CliIo, EXIT, UsageError } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';
import { parseInputs } from '../local/run-inputs.js';
import type { DeadLetterJson } from '../remote/api-types.js';
import type { CoordinatorClient } from '../remote/coordinator-client.js';
import { SERVER_OPTION, SERVER_OPTION_HELP, requireServer, withCoordinator } from '../remote/remote-setup.js';
import { oneLine, shortTime, textTable } from '../text-table.js';

const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;

/** Each subcommand's options besides --server: anything else is refused, not ignored. */
const SUBCOMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  list: ['run', 'workflow', 'fingerprint', 'json'],
  replay: ['input', 'inputs-file'],
  purge: [],
};

export const dlqCommand: Command = {
  name: 'dlq',
  summary: "List, replay or purge a coordinator's dead-lettered steps",
  usage:
    'flowline dlq list [--run RUN_ID] [--workflow NAME] [--fingerprint F] [--json] --server URL\n' +
    '       flowline dlq replay ID… [--input NAME=VALUE]… [--inputs-file F] --server URL\n' +
    '       flowline dlq purge ID… --server URL',
  details:
    "replay resumes each letter's run from its step, with the given run inputs replaced first; purge\n" +
    'removes letters without replaying them. Several IDs are handled in order, stopping at the first\n' +
    'that fails. --input values take the type of the run’s current value (JSON where it has none).',
  options: {
    run: { type: 'string' },
    workflow: { type: 'string' },
    fingerprint: { type: 'string' },
    input: { type: 'string', short: 'i', multiple: true },
    'inputs-file': { type: 'string' },
    json: { type: 'boolean' },
    ...SERVER_OPTION,
  },
  optionHelp: {
    run: 'list: only this run’s letters',
    workflow: 'list: only this workflow’s (its name)',
    fingerprint: 'list: only failures alike this one (its fingerprint, or the start of it as the table shows)',
    input: 'replay: a run input to replace, NAME=VALUE (repeatable)',
    'inputs-file': 'replay: inputs to replace, as one JSON or YAML mapping',
    json: 'list: print the API’s JSON array of letters',
    ...SERVER_OPTION_HELP,
  },
  positionals: [1, Infinity],
  run(args, io) {
    const [sub, ...ids] = args.positionals as [string, ...string[]];
    const allowed = SUBCOMMAND_OPTIONS[sub];
    if (allowed === undefined) throw new UsageError(`dlq has three subcommands: list, replay, purge`, 'dlq');
    const stray = Object.keys(args.values).find((name) => name !== 'server' && !allowed.includes(name));
    if (stray !== undefined) throw new UsageError(`dlq ${sub} does not take --${stray}`, 'dlq');
    if (sub === 'list' && ids.length > 0) throw new UsageError('dlq list takes no IDs (filter with --run)', 'dlq');
    if (sub !== 'list' && ids.length === 0) throw new UsageError(`dlq ${sub} needs one or more letter IDs`, 'dlq');
    const server = requireServer(args, io, 'dlq');
    return withCoordinator(io, 'dlq', server, (client) => {
      if (sub === 'list') return list(client, args, io);
      return sub === 'replay' ? replay(client, ids, args, io) : purge(client, ids, io);
    });
  },
};

async function list(client: CoordinatorClient, args: ParsedCommand, io: CliIo): Promise<number> {
  const value = (name: string) => args.values[name] as string | undefined;
  const runId = value('run');
  const workflow = value('workflow');
  const fingerprint = value('fingerprint');
  // The table shows 12 hex digits of a fingerprint; a prefix like that is matched here, a whole one by the API.
  const whole = fingerprint !== undefined && FINGERPRINT.test(fingerprint);
  let letters = await client.listDeadLetters({
    ...(runId === undefined ? {} : { runId }),
    ...(workflow === undefined ? {} : { workflow }),
    ...(whole ? { fingerprint } : {}),
  });
  if (fingerprint !== undefined && !whole) {
    const prefix = fingerprint.replace(/^sha256:/, '');
    letters = letters.filter((l) => l.fingerprint.replace(/^sha256:/, '').startsWith(prefix));
  }
  io.stdout.write(args.values['json'] === true ? `${JSON.stringify(letters, null, 2)}\n` : letterTable(letters));
  return EXIT.ok;
}

async function replay(client: CoordinatorClient, ids: readonly string[], args: ParsedCommand, io: CliIo) {
  const pairs = (args.values['input'] as string[] | undefined) ?? [];
  const file = args.values['inputs-file'] as string | undefined;
  for (const id of ids) {
    let inputs: Record<string, unknown> | undefined;
    if (pairs.length > 0 || file !== undefined) {
      // The coordinator holds the workflow; the run's current inputs say what type each value has.
      const letter = await client.getDeadLetter(id);
      const current = (await client.getRun(letter.run_id)).inputs;
      inputs = await parseInputs(pairs, file, 'dlq', (name) => typeOfValue(current[name]));
    }
    const run = await client.replayDeadLetter(id, inputs);
    io.stdout.write(`replayed ${id}: run ${run.run_id} is ${run.status}\n`);
  }
  return EXIT.ok;
}

async function purge(client: CoordinatorClient, ids: readonly string[], io: CliIo): Promise<number> {
  for (const id of ids) {
    await client.purgeDeadLetter(id);
    io.stdout.write(`purged ${id}\n`);
  }
  return EXIT.ok;
}

function typeOfValue(value: unknown): InputType | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' && value !== null ? 'object' : undefined;
}

function letterTable(letters: readonly DeadLetterJson[]): string {
  return textTable([
    ['ID', 'RUN', 'WORKFLOW', 'STEP', 'ATTEMPTS', 'FINGERPRINT', 'CREATED', 'ERROR'],
    ...letters.map((l) => [
      l.id,
      l.run_id,
      l.workflow_name,
      l.step_key,
      String(l.attempts),
      // Enough of the digest to group alike failures by eye; --json has it whole.
      l.fingerprint.replace(/^sha256:/, '').slice(0, 12),
      shortTime(l.created_at),
      oneLine(l.error.message, 60),
    ]),
  ]);
}

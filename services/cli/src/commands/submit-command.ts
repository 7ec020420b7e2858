import { type WorkflowBundle, loadWorkflowBundle, readWorkflowBundle } from '@flowline/workflow';

import { type CliIo, EXIT, UsageError } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';
import { type InputTypeOf, parseInputs } from '../local/run-inputs.js';
import type { RunRequestJson } from '../remote/api-types.js';
import type { CoordinatorClient } from '../remote/coordinator-client.js';
import { SERVER_OPTION, SERVER_OPTION_HELP, requireServer, withCoordinator } from '../remote/remote-setup.js';
import { watchRun } from '../remote/run-watch.js';

/** What `submit` sends: a local file inline (with its template files), or the name of a coordinator's workflow. */
type Source =
  | { readonly kind: 'file'; readonly file: string; readonly bundle: WorkflowBundle; readonly typeOf: InputTypeOf }
  | { readonly kind: 'name'; readonly name: string };

export const submitCommand: Command = {
  name: 'submit',
  summary: 'Start a run on a coordinator: a local workflow file, or a workflow the coordinator holds',
  usage:
    'flowline submit FILE|NAME --server URL [--input NAME=VALUE]… [--inputs-file F] [--priority N] [--idempotency-key K] [--wait] [--json]',
  details:
    'FILE (ending .yaml or .yml) is sent with the template files it reads; anything else names a\n' +
    "workflow in the coordinator's workflows directory. Prints the run id. --wait follows the run and\n" +
    'exits 0 when it succeeded, 1 when it failed or was cancelled. The token comes from FLOWLINE_TOKEN.',
  options: {
    input: { type: 'string', short: 'i', multiple: true },
    'inputs-file': { type: 'string' },
    priority: { type: 'string' },
    'idempotency-key': { type: 'string' },
    wait: { type: 'boolean' },
    json: { type: 'boolean' },
    ...SERVER_OPTION,
  },
  optionHelp: {
    input: 'an input value, NAME=VALUE (repeatable; converted to the input’s type)',
    'inputs-file': 'inputs as one JSON or YAML mapping (--input pairs override it)',
    priority: "1 (lowest) to 10; default the workflow's own",
    'idempotency-key': 'repeating a submit with the same key returns the run the first one made',
    wait: 'follow the run until it ends, a line per step; exit 1 unless it succeeded',
    json: 'print the API’s JSON: the accepted run, or with --wait the finished run and its steps',
    ...SERVER_OPTION_HELP,
  },
  positionals: [1, 1],
  async run(args, io) {
    const server = requireServer(args, io, 'submit');
    const source = await sourceOf(args.positionals[0]!);
    const pairs = (args.values['input'] as string[] | undefined) ?? [];
    const typeOf: InputTypeOf = source.kind === 'file' ? source.typeOf : () => undefined;
    const inputs = await parseInputs(pairs, args.values['inputs-file'] as string | undefined, 'submit', typeOf);
    const priority = priorityOf(args.values['priority'] as string | undefined);
    const body: RunRequestJson = {
      ...(source.kind === 'file'
        ? { yaml: source.bundle.text, files: source.bundle.templateFiles }
        : { workflow: source.name }),
      inputs,
      ...(priority === undefined ? {} : { priority }),
    };
    const context = source.kind === 'file' ? { workflowFile: source.file } : {};
    return withCoordinator(io, 'submit', server, (client) => submit(client, body, args, io), context);
  },
};

async function submit(client: CoordinatorClient, body: RunRequestJson, args: ParsedCommand, io: CliIo) {
  const key = args.values['idempotency-key'] as string | undefined;
  const accepted = await client.submitRun(body, key);
  const json = args.values['json'] === true;
  if (args.values['wait'] !== true) {
    io.stdout.write(json ? `${JSON.stringify(accepted, null, 2)}\n` : `${accepted.run_id}\n`);
    return EXIT.ok;
  }
  // The id first, so a script (or a person who presses Ctrl-C) still has it; progress goes to stderr.
  if (!json) io.stdout.write(`${accepted.run_id}\n`);
  const run = await watchRun(client, accepted.run_id, io);
  if (json) io.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  return run.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

/**
 * A path ending .yaml/.yml is a file, read here with the template files it
 * names; the types of its inputs come from compiling it (an invalid file is
 * still sent: the coordinator's answer lists its diagnostics).
 */
async function sourceOf(target: string): Promise<Source> {
  if (!/\.ya?ml$/i.test(target)) return { kind: 'name', name: target };
  let bundle: WorkflowBundle;
  try {
    bundle = await readWorkflowBundle(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code;
    throw new UsageError(`cannot read ${target}: ${why}`, 'submit');
  }
  const compiled = loadWorkflowBundle(bundle);
  const types = new Map(compiled.ok ? compiled.workflow.inputs.map((input) => [input.name, input.type]) : []);
  return { kind: 'file', file: target, bundle, typeOf: (name) => types.get(name) };
}

function priorityOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const priority = Number(value);
  if (!Number.isInteger(priority) || priority < 1 || priority > 10) {
    throw new UsageError(`--priority must be a whole number from 1 to 10, got "${value}"`, 'submit');
  }
  return priority;
}

import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

import { startLocalRun } from '@flowline/runner-local';

import { EXIT, UsageError } from '../cli-io.js';
import type { Command } from '../command.js';
import { DRIVE_OPTIONS, DRIVE_OPTION_HELP, driveLocal, workflowForRun } from '../local/drive-local.js';
import { stateDirOf } from '../local/local-setup.js';
import { runInputs } from '../local/run-inputs.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a workflow on this machine, on the embedded stores',
  usage:
    'flowline run FILE [--input NAME=VALUE]… [--inputs-file F] [--workspace DIR] [--state-dir DIR] [--no-cache] [--json]',
  details:
    'Exit status: 0 the run succeeded, 1 it failed or was cancelled, 2 bad arguments, workflow, inputs or setup.\n' +
    'Steps run under bubblewrap unless FLOWLINE_SANDBOX=none. Declared secrets are read from the environment.',
  options: {
    input: { type: 'string', short: 'i', multiple: true },
    'inputs-file': { type: 'string' },
    workspace: { type: 'string', short: 'w' },
    ...DRIVE_OPTIONS,
  },
  optionHelp: {
    input: 'an input value, NAME=VALUE (repeatable; converted to the input’s type)',
    'inputs-file': 'inputs as one JSON or YAML mapping (--input pairs override it)',
    workspace: 'the directory the workflow works on (default: the current directory)',
    ...DRIVE_OPTION_HELP,
  },
  positionals: [1, 1],
  async run(args, io) {
    const file = args.positionals[0]!;
    const workspace = resolve(typeof args.values['workspace'] === 'string' ? args.values['workspace'] : '.');
    const isDir = await stat(workspace).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) throw new UsageError(`--workspace ${workspace} is not a directory`, 'run');
    const workflow = await workflowForRun(file, io, 'run');
    if (workflow === undefined) return EXIT.usage;
    const pairs = (args.values['input'] as string[] | undefined) ?? [];
    const inputsFile = args.values['inputs-file'] as string | undefined;
    const inputs = await runInputs(workflow, pairs, inputsFile, 'run');
    const stateDir = stateDirOf(args.values['state-dir'], io);
    const runId = newRunId(new Date());
    return driveLocal(io, args, { workflow, workspace, stateDir }, (deps, options) =>
      startLocalRun(deps, options, { runId, inputs, workspace, workflowFile: resolve(file) }),
    );
  },
};

/** `20261124-193501-3f9a1c`: sorts by start time, unique enough for one machine, safe as a path segment. */
function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

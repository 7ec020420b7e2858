import { resumeLocalRun, retryLocalRun } from '@flowline/runner-local';

import { EXIT, UsageError } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';
import type { CliIo } from '../cli-io.js';
import { DRIVE_OPTIONS, DRIVE_OPTION_HELP, driveLocal, workflowForRun } from '../local/drive-local.js';
import { openStores, stateDirOf } from '../local/local-setup.js';

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Continue a run whose process stopped (killed, crashed, interrupted)',
  usage: 'flowline resume RUN_ID [--state-dir DIR] [--parallel N] [--no-cache] [--json]',
  details: 'Completed steps keep their outputs; steps that were running start again.',
  options: { ...DRIVE_OPTIONS },
  optionHelp: { ...DRIVE_OPTION_HELP },
  positionals: [1, 1],
  run: (args, io) => continueRun(args, io, 'resume'),
};

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Run a finished run’s failed steps again, or a step and everything after it',
  usage: 'flowline retry RUN_ID [--from STEP] [--state-dir DIR] [--parallel N] [--no-cache] [--json]',
  details: 'Every other step keeps its outputs. The workspace is used as it is now.',
  options: { from: { type: 'string' }, ...DRIVE_OPTIONS },
  optionHelp: { from: 'the step to run again, with its descendants', ...DRIVE_OPTION_HELP },
  positionals: [1, 1],
  run: (args, io) => continueRun(args, io, 'retry'),
};

/** resume and retry: the run's own workflow file and workspace, from its record. */
async function continueRun(args: ParsedCommand, io: CliIo, command: 'resume' | 'retry'): Promise<number> {
  const runId = args.positionals[0]!;
  const stateDir = stateDirOf(args.values['state-dir'], io);
  const record = await openStores(stateDir).runs.get(runId);
  if (record === undefined) throw new UsageError(`no run ${runId} in ${stateDir}`, command);
  const workflow = await workflowForRun(record.workflowFile, io, command);
  if (workflow === undefined) return EXIT.usage;
  const from = args.values['from'] as string | undefined;
  return driveLocal(io, args, { workflow, workspace: record.workspace, stateDir }, (deps, options) =>
    command === 'resume' ? resumeLocalRun(deps, options, runId) : retryLocalRun(deps, options, runId, from),
  );
}

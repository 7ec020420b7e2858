import { StringDecoder } from 'node:string_decoder';

import { execa } from 'execa';

import type { LaunchPlan } from '@flowline/sandbox';

import type { AbortReason } from './executor.js';
import { superviseGroup } from './process-group.js';
import { TailBuffer } from './tail-buffer.js';

/** The last 64 KiB of stdout and stderr become outputs (DESIGN §2). */
export const OUTPUT_TAIL_BYTES = 64 * 1024;

export interface ProcessResult {
  /** Undefined when the process was killed by a signal. */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the attempt's signal ended the process. */
  readonly aborted: AbortReason | undefined;
  /** The process could not be started at all (ENOENT…). */
  readonly spawnError: string | undefined;
}

export interface RunProcessOptions {
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
  readonly onOutput: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** Spawns a launch plan in its own process group (see superviseGroup) and waits for it. */
export async function runProcess(plan: LaunchPlan, options: RunProcessOptions): Promise<ProcessResult> {
  const tails = { stdout: new TailBuffer(OUTPUT_TAIL_BYTES), stderr: new TailBuffer(OUTPUT_TAIL_BYTES) };
  const child = execa(plan.file, [...plan.args], {
    cwd: plan.cwd,
    env: plan.env,
    extendEnv: false,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    detached: true,
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    // A character split across two chunks must reach the log whole.
    const decoder = new StringDecoder('utf8');
    child[stream]?.on('data', (chunk: Buffer) => {
      tails[stream].push(chunk);
      const text = decoder.write(chunk);
      if (text !== '') options.onOutput(stream, text);
    });
    child[stream]?.on('end', () => {
      const rest = decoder.end();
      if (rest !== '') options.onOutput(stream, rest);
    });
  }
  const supervisor = superviseGroup(child, options.signal, options.killGraceMs);
  const result = await child;
  supervisor.stop();
  const spawnError = result.failed && result.exitCode === undefined && result.signal === undefined;
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: tails.stdout.text(),
    stderr: tails.stderr.text(),
    aborted: supervisor.reason(),
    spawnError: spawnError ? (result.originalMessage ?? result.shortMessage) : undefined,
  };
}

import { execa } from 'execa';

import type { LaunchPlan } from '@flowline/sandbox';

import type { AbortReason } from '../executor.js';
import { superviseGroup } from '../process-group.js';
import { OUTPUT_TAIL_BYTES } from '../run-process.js';
import { TailBuffer } from '../tail-buffer.js';

export interface ClaudeProcessResult {
  /** Undefined when the process was killed by a signal. */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** The last 64 KiB of stderr. */
  readonly stderr: string;
  /** Set when the attempt's signal ended the process. */
  readonly aborted: AbortReason | undefined;
  /** The process could not be started at all (ENOENT…). */
  readonly spawnError: string | undefined;
}

export interface ClaudeProcessOptions {
  /** Written to stdin: the prompt, which may be longer than one argument may be (128 KiB on Linux). */
  readonly input: string;
  readonly signal: AbortSignal;
  readonly killGraceMs: number;
  /** Each complete stdout line, decoded whole (a chunk may end inside a UTF-8 character). */
  readonly onLine: (line: string) => void;
  readonly onStderr: (text: string) => void;
}

/**
 * Runs the CLI in its own process group and hands over its stdout line by
 * line (stream-json is one event a line). On abort the whole group gets
 * SIGTERM, then SIGKILL after the grace period: the CLI's tool commands
 * (a test run, a shell) die with it. Stragglers are killed when it exits.
 */
export async function runClaudeProcess(plan: LaunchPlan, options: ClaudeProcessOptions): Promise<ClaudeProcessResult> {
  const stderr = new TailBuffer(OUTPUT_TAIL_BYTES);
  const child = execa(plan.file, [...plan.args], {
    cwd: plan.cwd,
    env: plan.env,
    extendEnv: false,
    input: options.input,
    buffer: false,
    reject: false,
    detached: true,
  });
  const lines = new LineSplitter();
  child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk).forEach(options.onLine));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    options.onStderr(chunk.toString('utf8'));
  });
  const supervisor = superviseGroup(child, options.signal, options.killGraceMs);
  const result = await child;
  supervisor.stop();
  lines.end().forEach(options.onLine);
  const spawnFailed = result.failed && result.exitCode === undefined && result.signal === undefined;
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stderr: stderr.text(),
    aborted: supervisor.reason(),
    spawnError: spawnFailed ? (result.originalMessage ?? result.shortMessage) : undefined,
  };
}

/** Splits a byte stream at newlines and decodes whole lines only. */
export class LineSplitter {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let data = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a)) {
      lines.push(data.subarray(0, newline).toString('utf8'));
      data = data.subarray(newline + 1);
    }
    this.rest = Buffer.from(data);
    return lines;
  }

  /** The last line, when the stream did not end with a newline. */
  end(): string[] {
    const last = this.rest.toString('utf8');
    this.rest = Buffer.alloc(0);
    return last === '' ? [] : [last];
  }
}

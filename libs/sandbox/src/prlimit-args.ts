import { FlowlineError } from '@flowline/core';

import type { SandboxLimits } from './sandbox.js';

/**
 * prlimit options for the limits that are set (soft = hard, but for CPU
 * time), in the order address space, CPU, processes, file size. Empty when none is set, so the
 * caller can leave prlimit out altogether.
 */
export function prlimitOptions(limits: SandboxLimits): string[] {
  const options: string[] = [];
  if (limits.memoryBytes !== undefined) options.push(`--as=${count(limits.memoryBytes, 'memoryBytes')}`);
  if (limits.cpuTimeMs !== undefined) options.push(`--cpu=${cpuSeconds(limits.cpuTimeMs)}`);
  if (limits.maxProcesses !== undefined) options.push(`--nproc=${count(limits.maxProcesses, 'maxProcesses')}`);
  if (limits.maxFileBytes !== undefined) options.push(`--fsize=${count(limits.maxFileBytes, 'maxFileBytes')}`);
  return options;
}

/**
 * RLIMIT_CPU counts whole seconds: round up, so a limit never ends a step
 * early. The soft limit sends SIGXCPU (exit status 152 under bwrap, which
 * says "CPU limit" where SIGKILL would not); the hard limit a second later
 * sends SIGKILL to a step that ignores it.
 */
function cpuSeconds(ms: number): string {
  const seconds = Math.ceil(count(ms, 'cpuTimeMs') / 1000);
  return `${seconds}:${seconds + 1}`;
}

/** A limit as a positive whole number; 0 or a fraction would mean "nothing may run". */
function count(value: number, name: string): number {
  const whole = Math.floor(value);
  if (!Number.isFinite(value) || whole < 1) {
    throw new FlowlineError('bad_sandbox_request', `sandbox limit ${name} must be a positive number, got ${value}`);
  }
  return whole;
}

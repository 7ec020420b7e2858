import { FlowlineError } from '@flowline/core';

import type { SandboxLimits } from './sandbox.js';

/**
 * prlimit options for the limits that are set (soft = hard), in the order
 * address space, CPU, processes, file size. Empty when none is set, so the
 * caller can leave prlimit out altogether.
 */
export function prlimitOptions(limits: SandboxLimits): string[] {
  const options: string[] = [];
  if (limits.memoryBytes !== undefined) options.push(`--as=${count(limits.memoryBytes, 'memoryBytes')}`);
  // RLIMIT_CPU counts whole seconds: round up, so a limit never ends a step early.
  if (limits.cpuTimeMs !== undefined) options.push(`--cpu=${Math.ceil(count(limits.cpuTimeMs, 'cpuTimeMs') / 1000)}`);
  if (limits.maxProcesses !== undefined) options.push(`--nproc=${count(limits.maxProcesses, 'maxProcesses')}`);
  if (limits.maxFileBytes !== undefined) options.push(`--fsize=${count(limits.maxFileBytes, 'maxFileBytes')}`);
  return options;
}

/** A limit as a positive whole number; 0 or a fraction would mean "nothing may run". */
function count(value: number, name: string): number {
  const whole = Math.floor(value);
  if (!Number.isFinite(value) || whole < 1) {
    throw new FlowlineError('bad_sandbox_request', `sandbox limit ${name} must be a positive number, got ${value}`);
  }
  return whole;
}

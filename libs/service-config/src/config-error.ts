import { FlowlineError } from '@flowline/core';

/**
 * The environment a service was started with is wrong. Every problem is
 * one line naming the variable, the value (never a secret's) and what was
 * expected; the message holds them one per line, so a service can print
 * the message as it is and exit.
 */
export class ConfigError extends FlowlineError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('bad_config', problems.join('\n'), { details: { problems: [...problems] } });
    this.problems = problems;
  }
}

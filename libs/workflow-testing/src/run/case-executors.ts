import { type SourceSpan, assertNever } from '@flowline/core';
import { type RenderedClaudeCode, type RenderedStep, type StepKey, formatStepKey } from '@flowline/engine';
import { type ExecutedStepType, type Executor, executorFor } from '@flowline/executors';

import type { MockBody, StepMock } from '../spec/test-spec.js';
import { outcomeExecutor } from './outcome-executor.js';
import { type ItemVars, type TranscriptUse, transcriptExecutor } from './transcript-executor.js';

/** A transcript that an attempt's agent did not play to its end. */
export interface UnusedTranscript {
  readonly key: string;
  readonly at: SourceSpan;
  readonly use: TranscriptUse;
}

/**
 * An agent step no case mocked: it fails at once. Tests never reach a real
 * model — that would cost money, need credentials and give a different
 * answer each time.
 */
const unmockedAgent: Executor = {
  type: 'claude_code',
  version: 'unmocked',
  execute: (step) =>
    Promise.resolve({
      ok: false,
      error: {
        code: 'unmocked_agent',
        message: `claude_code step "${step.id}" has no mock in this case; give it a transcript (or outputs) under mocks.${step.id} — flowline test never calls a real model`,
        retryable: false,
      },
    }),
};

/**
 * Picks the executor for each rendered step of one case's run: a mock's
 * stand-in where the case mocks the step (or this item of it), the real
 * executor otherwise, except for agents, which must be mocked. Collects
 * transcripts the agent stopped short of.
 */
export class CaseExecutors {
  readonly unused: UnusedTranscript[] = [];

  constructor(
    private readonly mocks: ReadonlyMap<string, StepMock>,
    /** The value of a `for_each` item, read from the run's state. */
    private readonly itemValue: (key: StepKey) => unknown,
  ) {}

  executorFor(step: RenderedStep & { readonly type: ExecutedStepType }): Executor {
    const body = this.bodyFor(step.id, step.key.item);
    if (body === undefined) return step.type === 'claude_code' ? unmockedAgent : executorFor(step.type);
    switch (body.kind) {
      case 'outcome':
        return outcomeExecutor(body, step.type);
      case 'transcript':
        return transcriptExecutor(
          body,
          (s) => this.varsOf(s),
          (s, use) => this.noteUse(s, body.at, use),
        );
      default:
        return assertNever(body, 'mock');
    }
  }

  /** The item's own mock when `items` has one, else the step's. */
  private bodyFor(step: string, item: number | undefined): MockBody | undefined {
    const mock = this.mocks.get(step);
    return (item === undefined ? undefined : mock?.items[item]) ?? mock?.body;
  }

  private varsOf(step: RenderedClaudeCode): ItemVars {
    const index = step.key.item;
    return index === undefined ? {} : { item: this.itemValue(step.key), index };
  }

  private noteUse(step: RenderedClaudeCode, at: SourceSpan, use: TranscriptUse): void {
    if (use.used < use.total) this.unused.push({ key: formatStepKey(step.key), at, use });
  }
}

import type { InputType, StepType, TriggerRule } from '@flowline/core';

import type { Dag } from '../dag/dag.js';
import type { TemplateContext } from '../template/template-context.js';
import type { CompiledTemplate } from '../template/template-engine.js';

/**
 * A workflow ready to run: defaults merged, durations and sizes in numbers,
 * templates compiled, the DAG checked. Produced only from a valid definition,
 * immutable, and the single input of the scheduler.
 */
export interface CompiledWorkflow {
  readonly name: string;
  readonly description: string | undefined;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly inputs: readonly CompiledInput[];
  readonly env: TemplateMap;
  readonly secrets: readonly string[];
  readonly concurrency: { readonly key: CompiledTemplate; readonly limit: number } | undefined;
  /** 1 (lowest) to 10. */
  readonly priority: number;
  readonly budget: Budget | undefined;
  /** Steps by id, in declaration order. */
  readonly steps: ReadonlyMap<string, CompiledStep>;
  readonly dag: Dag;
  readonly outputs: TemplateMap;
  /** SHA-256 of the workflow's text and template files: equal digests, same workflow version. */
  readonly digest: string;
}

export type TemplateMap = Readonly<Record<string, CompiledTemplate>>;

export interface CompiledInput {
  readonly name: string;
  readonly type: InputType;
  readonly required: boolean;
  /** Present only when the workflow gives one. */
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly description?: string;
}

export interface Budget {
  readonly maxCostUsd?: number;
  readonly maxTokens?: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly backoff: 'exponential' | 'linear' | 'fixed';
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: boolean;
}

export interface CachePolicy {
  readonly enabled: boolean;
  readonly ttlMs: number;
  readonly files: readonly string[];
}

/** Unset limits are not imposed (the step's timeout still is). */
export interface SandboxPolicy {
  readonly network: boolean;
  readonly memoryBytes?: number;
  readonly cpuTimeMs?: number;
  readonly maxProcesses?: number;
  readonly maxFileBytes?: number;
}

/** `for_each`: items from a template rendering a JSON array, or a literal list. */
export type ForEach =
  | { readonly kind: 'template'; readonly items: CompiledTemplate; readonly maxParallel: number | undefined }
  | { readonly kind: 'list'; readonly items: readonly unknown[]; readonly maxParallel: number | undefined };

/** A conditional's branch that lists this step. */
export interface BranchMembership {
  readonly conditional: string;
  readonly branch: 'then' | 'else';
}

interface CompiledStepBase<T extends StepType> {
  readonly id: string;
  readonly type: T;
  /** Display name; the id when none is given. */
  readonly name: string;
  readonly description: string | undefined;
  /** Every step this one waits for: its `needs` and the conditionals that list it. */
  readonly needs: readonly string[];
  readonly branches: readonly BranchMembership[];
  readonly if: CompiledTemplate | undefined;
  readonly triggerRule: TriggerRule;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly cache: CachePolicy;
  readonly sandbox: SandboxPolicy;
  readonly maxOutputBytes: number;
  readonly env: TemplateMap;
  readonly continueOnError: boolean;
  readonly forEach: ForEach | undefined;
}

export interface ShellStep extends CompiledStepBase<'shell'> {
  readonly run: CompiledTemplate;
  /** Interpreter and flags; the script follows as `-c <script>`. */
  readonly shell: readonly string[];
  readonly workingDirectory: string | undefined;
  readonly outputsFrom: string | undefined;
}

export interface ClaudeCodeStep extends CompiledStepBase<'claude_code'> {
  readonly prompt: CompiledTemplate;
  readonly profile: string;
  readonly maxTurns: number | undefined;
  readonly model: string | undefined;
  readonly allowedTools: readonly string[] | undefined;
  readonly disallowedTools: readonly string[];
  readonly appendSystemPrompt: CompiledTemplate | undefined;
  readonly workingDirectory: string | undefined;
}

export interface AssertStep extends CompiledStepBase<'assert'> {
  readonly that: readonly CompiledTemplate[];
  readonly message: CompiledTemplate | undefined;
  readonly severity: 'error' | 'warning';
}

export interface TemplateStep extends CompiledStepBase<'template'> {
  readonly template: CompiledTemplate;
  /** Where the template came from when it was a file, for messages. */
  readonly templateFile: string | undefined;
  readonly output: CompiledTemplate;
}

export interface WebhookStep extends CompiledStepBase<'webhook'> {
  readonly url: CompiledTemplate;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly headers: TemplateMap;
  readonly body: CompiledValue | undefined;
  /** Undefined: any 2xx. */
  readonly expectStatus: readonly number[] | undefined;
  readonly maxResponseBytes: number;
}

export interface ConditionalStep extends CompiledStepBase<'conditional'> {
  readonly condition: CompiledTemplate;
  readonly then: readonly string[];
  readonly else: readonly string[];
}

export type CompiledStep = ShellStep | ClaudeCodeStep | AssertStep | TemplateStep | WebhookStep | ConditionalStep;

/** What every step has, whatever its type. */
export type CompiledStepCommon = Omit<CompiledStepBase<StepType>, 'type'>;

/** The part of a step that depends on its type (`type` included). */
export type StepTypeFields = CompiledStep extends infer S
  ? S extends CompiledStep
    ? Omit<S, keyof CompiledStepCommon>
    : never
  : never;

/** A JSON value whose strings are templates (a webhook body). */
export interface CompiledValue {
  readonly templates: readonly CompiledTemplate[];
  readonly render: (context: TemplateContext) => unknown;
}

import type { InputType, StepType, TriggerRule } from '@flowline/core';

/**
 * The workflow as written, after JSON Schema validation: field names as in
 * YAML, nothing defaulted or converted yet. Mirrors schema/workflow.schema.json;
 * `definition.test.ts` keeps the two in step.
 */
export interface WorkflowDefinition {
  readonly version?: 1;
  readonly name: string;
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly inputs?: Readonly<Record<string, InputDefinition>>;
  readonly env?: EnvDefinition;
  readonly secrets?: readonly string[];
  readonly defaults?: DefaultsDefinition;
  readonly concurrency?: { readonly key: string; readonly limit?: number };
  readonly priority?: number;
  readonly budget?: { readonly max_cost_usd?: number; readonly max_tokens?: number };
  readonly steps: readonly StepDefinition[];
  readonly outputs?: Readonly<Record<string, string>>;
}

export type EnvDefinition = Readonly<Record<string, string | number | boolean>>;

export interface InputDefinition {
  readonly type?: InputType;
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
}

export interface RetryDefinition {
  readonly max_attempts?: number;
  readonly backoff?: 'exponential' | 'linear' | 'fixed';
  readonly initial_delay?: string;
  readonly max_delay?: string;
  readonly jitter?: boolean;
}

export interface CacheDefinition {
  readonly enabled?: boolean;
  readonly ttl?: string;
  readonly files?: readonly string[];
}

export interface SandboxDefinition {
  readonly network?: boolean;
  readonly memory?: string;
  readonly cpu_time?: string;
  readonly max_processes?: number;
  readonly max_file_size?: string;
}

/** What `defaults:` and every step can set; a step's own value wins. */
export interface PolicyDefinition {
  readonly timeout?: string;
  readonly retry?: RetryDefinition;
  readonly cache?: CacheDefinition;
  readonly sandbox?: SandboxDefinition;
  readonly max_output_size?: string;
}

export type DefaultsDefinition = PolicyDefinition;

interface StepCommon<T extends StepType> extends PolicyDefinition {
  readonly id: string;
  readonly type: T;
  readonly name?: string;
  readonly description?: string;
  readonly needs?: readonly string[];
  readonly if?: string;
  readonly trigger_rule?: TriggerRule;
  readonly env?: EnvDefinition;
  readonly continue_on_error?: boolean;
  readonly for_each?: string | readonly unknown[];
  readonly max_parallel?: number;
}

export interface ShellStepDefinition extends StepCommon<'shell'> {
  readonly run: string;
  readonly shell?: string;
  readonly working_directory?: string;
  readonly outputs_from?: string;
}

export interface ClaudeCodeStepDefinition extends StepCommon<'claude_code'> {
  readonly prompt: string;
  readonly profile?: string;
  readonly max_turns?: number;
  readonly model?: string;
  readonly allowed_tools?: readonly string[];
  readonly disallowed_tools?: readonly string[];
  readonly append_system_prompt?: string;
  readonly working_directory?: string;
}

export interface AssertStepDefinition extends StepCommon<'assert'> {
  readonly that: string | readonly string[];
  readonly message?: string;
  readonly severity?: 'error' | 'warning';
}

export interface TemplateStepDefinition extends StepCommon<'template'> {
  readonly template?: string;
  readonly template_file?: string;
  readonly output: string;
}

export interface WebhookStepDefinition extends StepCommon<'webhook'> {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly expect_status?: readonly number[];
  readonly max_response_size?: string;
}

export interface ConditionalStepDefinition extends StepCommon<'conditional'> {
  readonly condition: string;
  readonly then?: readonly string[];
  readonly else?: readonly string[];
}

export type StepDefinition =
  | ShellStepDefinition
  | ClaudeCodeStepDefinition
  | AssertStepDefinition
  | TemplateStepDefinition
  | WebhookStepDefinition
  | ConditionalStepDefinition;

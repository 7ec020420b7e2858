import {
  INPUT_TYPES,
  type InputType,
  STEP_TYPES,
  type StepType,
  TRIGGER_RULES,
  type TriggerRule,
} from '@flowline/core';
import { describe, expect, test } from '@jest/globals';

import { STEP_FIELDS, WORKFLOW_FIELDS } from '../schema/schema-facts.js';
import { workflowSchema } from '../schema/workflow-schema.js';
import type {
  AssertStepDefinition,
  CacheDefinition,
  ClaudeCodeStepDefinition,
  ConditionalStepDefinition,
  InputDefinition,
  PolicyDefinition,
  RetryDefinition,
  SandboxDefinition,
  ShellStepDefinition,
  StepDefinition,
  TemplateStepDefinition,
  WebhookStepDefinition,
  WorkflowDefinition,
} from './workflow-definition.js';

/**
 * Each object below lists every key of a definition interface. `satisfies
 * Record<keyof T, true>` makes the compiler reject a key the interface lacks
 * and a key of the interface left out, so these lists are the interfaces'
 * keys, and the tests compare them with the schema's.
 */

type SchemaObject = Record<string, unknown>;
const defs = workflowSchema['$defs'] as Record<string, SchemaObject>;
const propertiesOf = (schema: SchemaObject | undefined): SchemaObject =>
  (schema?.['properties'] as SchemaObject | undefined) ?? {};
const keysOf = (object: object): string[] => Object.keys(object).sort();

/** The keys a value of T must have (not marked `?`). */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

const COMMON = {
  id: true,
  type: true,
  name: true,
  description: true,
  needs: true,
  if: true,
  trigger_rule: true,
  env: true,
  continue_on_error: true,
  for_each: true,
  max_parallel: true,
  timeout: true,
  retry: true,
  cache: true,
  sandbox: true,
  max_output_size: true,
} satisfies Record<keyof StepDefinition, true>; // keyof a union: the keys every step type has

const STEP_KEYS = {
  shell: {
    ...COMMON,
    run: true,
    shell: true,
    working_directory: true,
    outputs_from: true,
  } satisfies Record<keyof ShellStepDefinition, true>,
  claude_code: {
    ...COMMON,
    prompt: true,
    profile: true,
    max_turns: true,
    model: true,
    allowed_tools: true,
    disallowed_tools: true,
    append_system_prompt: true,
    working_directory: true,
  } satisfies Record<keyof ClaudeCodeStepDefinition, true>,
  assert: {
    ...COMMON,
    that: true,
    message: true,
    severity: true,
  } satisfies Record<keyof AssertStepDefinition, true>,
  template: {
    ...COMMON,
    template: true,
    template_file: true,
    output: true,
  } satisfies Record<keyof TemplateStepDefinition, true>,
  webhook: {
    ...COMMON,
    url: true,
    method: true,
    headers: true,
    body: true,
    expect_status: true,
    max_response_size: true,
  } satisfies Record<keyof WebhookStepDefinition, true>,
  conditional: {
    ...COMMON,
    condition: true,
    then: true,
    else: true,
  } satisfies Record<keyof ConditionalStepDefinition, true>,
} satisfies Record<StepType, object>;

// Keys that must be present; `satisfies` checks these lists against the interfaces the same way.
const STEP_REQUIRED = {
  shell: { id: true, type: true, run: true } satisfies Record<RequiredKeys<ShellStepDefinition>, true>,
  claude_code: { id: true, type: true, prompt: true } satisfies Record<RequiredKeys<ClaudeCodeStepDefinition>, true>,
  assert: { id: true, type: true, that: true } satisfies Record<RequiredKeys<AssertStepDefinition>, true>,
  // template/template_file: exactly one, which the schema says with oneOf.
  template: { id: true, type: true, output: true } satisfies Record<RequiredKeys<TemplateStepDefinition>, true>,
  webhook: { id: true, type: true, url: true } satisfies Record<RequiredKeys<WebhookStepDefinition>, true>,
  // then/else: at least one, which the schema says with anyOf.
  conditional: { id: true, type: true, condition: true } satisfies Record<
    RequiredKeys<ConditionalStepDefinition>,
    true
  >,
} satisfies Record<StepType, object>;

const WORKFLOW_KEYS = {
  version: true,
  name: true,
  description: true,
  metadata: true,
  inputs: true,
  env: true,
  secrets: true,
  defaults: true,
  concurrency: true,
  priority: true,
  budget: true,
  steps: true,
  outputs: true,
} satisfies Record<keyof WorkflowDefinition, true>;

const INPUT_KEYS = {
  type: true,
  description: true,
  required: true,
  default: true,
  enum: true,
} satisfies Record<keyof InputDefinition, true>;

const RETRY_KEYS = {
  max_attempts: true,
  backoff: true,
  initial_delay: true,
  max_delay: true,
  jitter: true,
} satisfies Record<keyof RetryDefinition, true>;

const CACHE_KEYS = { enabled: true, ttl: true, files: true } satisfies Record<keyof CacheDefinition, true>;

const SANDBOX_KEYS = {
  network: true,
  memory: true,
  cpu_time: true,
  max_processes: true,
  max_file_size: true,
} satisfies Record<keyof SandboxDefinition, true>;

const POLICY_KEYS = {
  timeout: true,
  retry: true,
  cache: true,
  sandbox: true,
  max_output_size: true,
} satisfies Record<keyof PolicyDefinition, true>;

type Concurrency = NonNullable<WorkflowDefinition['concurrency']>;
type Budget = NonNullable<WorkflowDefinition['budget']>;
const CONCURRENCY_KEYS = { key: true, limit: true } satisfies Record<keyof Concurrency, true>;
const BUDGET_KEYS = { max_cost_usd: true, max_tokens: true } satisfies Record<keyof Budget, true>;

describe('step definitions match the schema', () => {
  test('there is a key list for every step type, and no other', () => {
    expect(keysOf(STEP_KEYS)).toEqual([...STEP_TYPES].sort());
    expect([...STEP_FIELDS.keys()].sort()).toEqual([...STEP_TYPES].sort());
  });

  // STEP_FIELDS.allowed is the common step properties (id and type among
  // them) plus the type's own, less those the type sets to `false`. The
  // TypeScript interfaces extend one common base, so a type's forbidden
  // fields are still keys of its interface: keys = allowed ∪ forbidden.
  test.each([...STEP_TYPES])('%s: interface keys are the allowed fields plus the forbidden ones', (type) => {
    const fields = STEP_FIELDS.get(type)!;
    expect(keysOf(STEP_KEYS[type])).toEqual([...fields.allowed, ...fields.forbidden].sort());
    expect(fields.allowed.has('id')).toBe(true);
    expect(fields.allowed.has('type')).toBe(true);
  });

  test('only conditional forbids common fields: for_each and max_parallel', () => {
    const forbidden = Object.fromEntries(
      STEP_TYPES.map((type) => [type, [...STEP_FIELDS.get(type)!.forbidden].sort()]),
    );
    expect(forbidden).toEqual({
      shell: [],
      claude_code: [],
      assert: [],
      template: [],
      webhook: [],
      conditional: ['for_each', 'max_parallel'],
    });
  });

  test('the common keys are the schema step properties', () => {
    expect(keysOf(COMMON)).toEqual(keysOf(propertiesOf(defs['step'])));
  });

  test.each([...STEP_TYPES])('%s: required keys are the required properties', (type) => {
    const own = defs[`${type.replace(/_(.)/g, (_, c: string) => c.toUpperCase())}Step`];
    expect(own).toBeDefined();
    const required = [...((defs['step']!['required'] as string[]) ?? []), ...((own!['required'] as string[]) ?? [])];
    expect(keysOf(STEP_REQUIRED[type])).toEqual(required.sort());
  });

  test('the step type enum lists every step type', () => {
    expect(propertiesOf(defs['step'])['type']).toMatchObject({ enum: [...STEP_TYPES] });
  });
});

describe('workflow-level definitions match the schema', () => {
  test('WorkflowDefinition and WORKFLOW_FIELDS', () => {
    expect(keysOf(WORKFLOW_KEYS)).toEqual([...WORKFLOW_FIELDS].sort());
    const required = {
      name: true,
      steps: true,
    } satisfies Record<RequiredKeys<WorkflowDefinition>, true>;
    expect(keysOf(required)).toEqual([...(workflowSchema['required'] as string[])].sort());
  });

  test.each<[string, string, object]>([
    ['InputDefinition', 'input', INPUT_KEYS],
    ['RetryDefinition', 'retry', RETRY_KEYS],
    ['CacheDefinition', 'cache', CACHE_KEYS],
    ['SandboxDefinition', 'sandbox', SANDBOX_KEYS],
    ['PolicyDefinition', 'defaults', POLICY_KEYS],
  ])('%s and $defs.%s', (_, def, keys) => {
    expect(defs[def]).toBeDefined();
    expect(keysOf(keys)).toEqual(keysOf(propertiesOf(defs[def])));
    // Every key of these is optional, in TypeScript and in the schema.
    expect(defs[def]!['required']).toBeUndefined();
  });

  test('concurrency and budget', () => {
    const top = propertiesOf(workflowSchema);
    expect(keysOf(CONCURRENCY_KEYS)).toEqual(keysOf(propertiesOf(top['concurrency'] as SchemaObject)));
    expect(keysOf(BUDGET_KEYS)).toEqual(keysOf(propertiesOf(top['budget'] as SchemaObject)));
    const required = { key: true } satisfies Record<RequiredKeys<Concurrency>, true>;
    expect(keysOf(required)).toEqual((top['concurrency'] as SchemaObject)['required']);
  });

  test('every defaults field can also be set on a step', () => {
    expect(keysOf(POLICY_KEYS).every((key) => key in COMMON)).toBe(true);
  });
});

describe('enumerations match the schema', () => {
  /** Every member of a string union, checked complete by `satisfies`. */
  const members = (record: Record<string, true>): string[] => keysOf(record);
  const enumOf = (schema: unknown): string[] => [...((schema as SchemaObject)['enum'] as string[])].sort();

  test('retry backoff', () => {
    const backoff = { exponential: true, linear: true, fixed: true } satisfies Record<
      NonNullable<RetryDefinition['backoff']>,
      true
    >;
    expect(members(backoff)).toEqual(enumOf(propertiesOf(defs['retry'])['backoff']));
  });

  test('webhook method and assert severity', () => {
    const method = { GET: true, POST: true, PUT: true, PATCH: true, DELETE: true, HEAD: true } satisfies Record<
      NonNullable<WebhookStepDefinition['method']>,
      true
    >;
    expect(members(method)).toEqual(enumOf(propertiesOf(defs['webhookStep'])['method']));
    const severity = { error: true, warning: true } satisfies Record<
      NonNullable<AssertStepDefinition['severity']>,
      true
    >;
    expect(members(severity)).toEqual(enumOf(propertiesOf(defs['assertStep'])['severity']));
  });

  test('trigger rules and input types', () => {
    const triggerRule = {
      all_success: true,
      all_done: true,
      none_failed: true,
      one_failed: true,
    } satisfies Record<TriggerRule, true>;
    expect(members(triggerRule)).toEqual([...TRIGGER_RULES].sort());
    expect(enumOf(propertiesOf(defs['step'])['trigger_rule'])).toEqual([...TRIGGER_RULES].sort());
    const inputType = {
      string: true,
      number: true,
      integer: true,
      boolean: true,
      array: true,
      object: true,
    } satisfies Record<InputType, true>;
    expect(members(inputType)).toEqual([...INPUT_TYPES].sort());
    expect(enumOf(propertiesOf(defs['input'])['type'])).toEqual([...INPUT_TYPES].sort());
  });

  test('StepDefinition is the union of one interface per step type', () => {
    const byType = {
      shell: true,
      claude_code: true,
      assert: true,
      template: true,
      webhook: true,
      conditional: true,
    } satisfies Record<StepDefinition['type'], true>;
    expect(members(byType)).toEqual([...STEP_TYPES].sort());
  });
});

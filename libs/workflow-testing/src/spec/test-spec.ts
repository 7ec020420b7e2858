import type { SourceSpan } from '@flowline/core';
import type { RunStatus } from '@flowline/engine';
import type { ScriptedBlock } from '@flowline/executors';

/**
 * A `*.test.yaml` file, read and checked: every part keeps the span it was
 * written at, so a failing expectation points at its own line.
 */
export interface TestFile {
  /** The test file's path, as given (relative paths stay relative, for clickable output). */
  readonly file: string;
  /** The workflow under test, joined to the test file's directory (relative when the test file's path is). */
  readonly workflowFile: string;
  /** The `workflow:` value, or the file's start when the name is the default. */
  readonly workflowAt: SourceSpan;
  readonly cases: readonly TestCase[];
}

/** The directory each case copies, and symlinks made in the copy (targets absolute). */
export interface WorkspaceSpec {
  /** Absolute; undefined: each case starts from an empty directory. */
  readonly from: string | undefined;
  readonly links: readonly { readonly path: string; readonly target: string; readonly at: SourceSpan }[];
  readonly at: SourceSpan;
}

export interface TestCase {
  readonly name: string;
  /** The case's `- name:` entry. */
  readonly at: SourceSpan;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly inputsAt: SourceSpan;
  readonly secrets: Readonly<Record<string, string>>;
  readonly secretsAt: SourceSpan;
  readonly workspace: WorkspaceSpec | undefined;
  readonly warmCache: boolean;
  /** Scripts run in each fresh workspace copy before the run: the file's, then the case's own. */
  readonly setup: readonly SetupScript[];
  readonly mocks: ReadonlyMap<string, StepMock>;
  readonly expect: Expectations;
}

/**
 * A bash script that prepares a case's workspace copy (a fixture cannot
 * hold a `.git`, say). Test files are trusted code, like a test runner's
 * setup files: it runs outside the sandbox, in the copy.
 */
export interface SetupScript {
  readonly script: string;
  readonly at: SourceSpan;
}

/** A stand-in for one step: for the step as a whole, and per `for_each` item by index. */
export interface StepMock {
  readonly step: string;
  /** The step id key under `mocks:`. */
  readonly at: SourceSpan;
  /** What serves every item not listed in `items` (and a step without `for_each`). */
  readonly body: MockBody | undefined;
  readonly items: readonly (MockBody | undefined)[];
  /** The `items:` key, when given. */
  readonly itemsAt: SourceSpan | undefined;
}

export type MockBody = OutcomeMock | TranscriptMock;

/** A mocked outcome: nothing is executed; the files are written as the step's own changes. */
export interface OutcomeMock {
  readonly kind: 'outcome';
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly exitCode: number | undefined;
  /** As written; undefined means: failed when `error` is set or `exit_code` is not 0. */
  readonly status: 'succeeded' | 'failed' | undefined;
  readonly error: string | undefined;
  readonly files: readonly { readonly path: string; readonly content: string; readonly at: SourceSpan }[];
  readonly at: SourceSpan;
}

/** A claude_code step's model replies, replayed to the real CLI by a scripted Messages API server. */
export interface TranscriptMock {
  readonly kind: 'transcript';
  /** One assistant message per model call, blocks in order; strings may hold `{{workspace}}`, `{{item}}`, `{{index}}`. */
  readonly turns: readonly (readonly ScriptedBlock[])[];
  readonly at: SourceSpan;
}

/** The status words a step expectation may use: the engine's terminal statuses, and `cached`. */
export const EXPECTED_STEP_STATUSES = [
  'succeeded',
  'cached',
  'failed',
  'skipped',
  'upstream_failed',
  'cancelled',
] as const;
export type ExpectedStepStatus = (typeof EXPECTED_STEP_STATUSES)[number];

export const EXPECTED_RUN_STATUSES = ['succeeded', 'failed', 'cancelled'] as const satisfies readonly RunStatus[];

export interface Expectations {
  readonly status: Expected<RunStatus> | undefined;
  readonly steps: readonly StepExpectation[];
  readonly outputs: readonly ValueExpectation[];
  readonly files: readonly FileExpectation[];
}

export interface Expected<T> {
  readonly value: T;
  readonly at: SourceSpan;
}

export interface StepExpectation {
  /** `fix`, or `fix[2]` for one item of a `for_each` step. */
  readonly step: string;
  readonly item: number | undefined;
  readonly at: SourceSpan;
  readonly status: Expected<ExpectedStepStatus> | undefined;
  readonly outputs: readonly ValueExpectation[];
}

/** An output (a dotted path into the outputs) and what it must satisfy. */
export interface ValueExpectation {
  readonly path: string;
  readonly matcher: Matcher;
  readonly at: SourceSpan;
}

export interface FileExpectation {
  /** Workspace-relative. */
  readonly path: string;
  readonly matcher: Matcher;
  readonly at: SourceSpan;
}

/** Every check must hold: `{ gte: 1, lt: 10 }` is two. A plain value is one `equals`. */
export type Matcher = readonly Check[];

export type Check =
  | { readonly op: 'equals'; readonly expected: unknown }
  | { readonly op: 'contains'; readonly expected: unknown }
  | { readonly op: 'matches'; readonly pattern: RegExp }
  | { readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly expected: number }
  | { readonly op: 'exists'; readonly expected: boolean };

export type CheckOp = Check['op'];

export const CHECK_OPS: readonly CheckOp[] = ['equals', 'contains', 'matches', 'gt', 'gte', 'lt', 'lte', 'exists'];

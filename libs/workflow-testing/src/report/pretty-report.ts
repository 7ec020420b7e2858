import type { CaseResult } from '../run/run-case.js';
import type { SuiteResult } from '../run/run-suite.js';
import { failureLines, shortDuration } from './failure-text.js';

/** Colours for the pretty report; the caller decides whether its stream gets any. */
export interface Paint {
  green(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const same = (text: string) => text;
export const NO_PAINT: Paint = { green: same, red: same, dim: same, bold: same };

/** The line that opens a file's cases. */
export function prettyFile(file: string, paint: Paint = NO_PAINT): string {
  return `${paint.bold(file)}\n`;
}

/** `  ✓ name (1.2s)`, and under a failed case each failure with its place, expected and actual. */
export function prettyCase(file: string, result: CaseResult, paint: Paint = NO_PAINT): string {
  const mark = result.passed ? paint.green('✓') : paint.red('✗');
  const lines = [`  ${mark} ${result.name} ${paint.dim(`(${shortDuration(result.durationMs)})`)}`];
  for (const failure of result.failures) lines.push(...failureLines(file, failure).map((line) => `      ${line}`));
  return `${lines.join('\n')}\n`;
}

/** The last line: `3 passed, 1 failed (4.1s)`. */
export function prettySummary(result: SuiteResult, paint: Paint = NO_PAINT): string {
  const failed = result.failed > 0 ? paint.red(`${result.failed} failed`) : `${result.failed} failed`;
  return `${paint.green(`${result.passed} passed`)}, ${failed} ${paint.dim(`(${shortDuration(result.durationMs)})`)}\n`;
}

/** The whole report at once: each file, its cases, then the summary. */
export function prettyReport(result: SuiteResult, paint: Paint = NO_PAINT): string {
  const parts = result.files.flatMap((file) => [
    prettyFile(file.file, paint),
    ...file.cases.map((c) => prettyCase(file.file, c, paint)),
  ]);
  return `${parts.join('')}${prettySummary(result, paint)}`;
}

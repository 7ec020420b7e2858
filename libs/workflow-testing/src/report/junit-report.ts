import type { CaseResult } from '../run/run-case.js';
import type { FileResult, SuiteResult } from '../run/run-suite.js';
import { failureLines, failureSummary } from './failure-text.js';
import { xmlEscape, xmlTag } from './xml.js';

/**
 * `--reporter junit`: the JUnit XML that Jenkins, GitLab and the GitHub
 * test-report actions read. One `<testsuite>` per test file (named by its
 * path), one `<testcase>` per case with the workflow as `classname` and
 * `file`/`line` so a failure links to the case; a failed case has one
 * `<failure>` whose message is the first failure and whose text lists all.
 * Times are seconds.
 */
export function junitReport(result: SuiteResult): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    xmlTag('testsuites', {
      name: 'flowline test',
      tests: result.passed + result.failed,
      failures: result.failed,
      errors: 0,
      time: seconds(result.durationMs),
    }),
    ...result.files.flatMap(suiteLines),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function suiteLines(file: FileResult): string[] {
  const failures = file.cases.filter((c) => !c.passed).length;
  const attributes = {
    name: file.file,
    tests: file.cases.length,
    failures,
    errors: 0,
    skipped: 0,
    time: seconds(file.durationMs),
  };
  return [`  ${xmlTag('testsuite', attributes)}`, ...file.cases.flatMap((c) => caseLines(file, c)), '  </testsuite>'];
}

function caseLines(file: FileResult, result: CaseResult): string[] {
  const attributes = {
    classname: file.workflow,
    name: result.name,
    file: file.file,
    line: result.at.line,
    time: seconds(result.durationMs),
  };
  if (result.passed) return [`    ${xmlTag('testcase', attributes, true)}`];
  const [first] = result.failures;
  const more = result.failures.length > 1 ? ` (and ${result.failures.length - 1} more)` : '';
  const message = first === undefined ? 'failed' : `${failureSummary(first)}${more}`;
  const text = result.failures.flatMap((f) => failureLines(file.file, f)).join('\n');
  return [
    `    ${xmlTag('testcase', attributes)}`,
    `      ${xmlTag('failure', { message, type: 'ExpectationFailed' })}${xmlEscape(text)}</failure>`,
    '    </testcase>',
  ];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

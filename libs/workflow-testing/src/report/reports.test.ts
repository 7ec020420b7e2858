import { execFileSync } from 'node:child_process';

import { describe, expect, it } from '@jest/globals';

import type { SuiteResult } from '../run/run-suite.js';
import { jsonReport } from './json-report.js';
import { junitReport } from './junit-report.js';
import { prettyReport } from './pretty-report.js';

const at = (line: number, column: number) => ({ line, column, endLine: line, endColumn: column });

/** Two files: one passing case, and one failing case with a tricky name and failures. */
const RESULT: SuiteResult = {
  passed: 1,
  failed: 1,
  durationMs: 2_500,
  files: [
    {
      file: 'templates/fix.test.yaml',
      workflow: 'fix',
      durationMs: 1_200,
      cases: [
        { name: 'fixes it', at: at(4, 5), passed: true, durationMs: 1_200, failures: [], runStatus: 'succeeded' },
      ],
    },
    {
      file: 'templates/a&b.test.yaml',
      workflow: 'a-b',
      durationMs: 850,
      cases: [
        {
          name: 'quotes "<tags>" & \u001b[31mcolour\u001b[0m',
          at: at(9, 5),
          passed: false,
          durationMs: 850,
          runStatus: 'failed',
          failures: [
            {
              at: at(14, 9),
              what: 'step fix status',
              expected: 'succeeded',
              actual: 'failed (exit_code: exit code 1)',
            },
            { at: at(9, 5), what: 'timed out after 1s; the run was cancelled' },
          ],
        },
      ],
    },
  ],
};

/** Parses the XML with Python's ElementTree (a strict, independent parser) and returns its shape as JSON. */
function parseXml(xml: string): unknown {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def node(e):
    return {"tag": e.tag, "attrib": e.attrib, "text": (e.text or "").strip(), "children": [node(c) for c in e]}
print(json.dumps(node(root)))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: xml, encoding: 'utf8' }));
}

describe('reports', () => {
  it('pretty: each file, ✓/✗ per case with its time, failures at their places with expected and actual, a summary', () => {
    expect(prettyReport(RESULT)).toBe(
      [
        'templates/fix.test.yaml',
        '  ✓ fixes it (1.2s)',
        'templates/a&b.test.yaml',
        '  ✗ quotes "<tags>" & \u001b[31mcolour\u001b[0m (850ms)',
        '      templates/a&b.test.yaml:14:9: step fix status',
        '        expected: succeeded',
        '        actual:   failed (exit_code: exit code 1)',
        '      templates/a&b.test.yaml:9:5: timed out after 1s; the run was cancelled',
        '1 passed, 1 failed (2.5s)',
        '',
      ].join('\n'),
    );
  });

  it('json: one document with counts, files, cases and their failures', () => {
    const document = JSON.parse(jsonReport(RESULT)) as Record<string, unknown>;
    expect(document).toEqual({
      passed: 1,
      failed: 1,
      duration_ms: 2500,
      files: [
        {
          file: 'templates/fix.test.yaml',
          workflow: 'fix',
          duration_ms: 1200,
          cases: [
            {
              name: 'fixes it',
              line: 4,
              column: 5,
              status: 'passed',
              duration_ms: 1200,
              run_status: 'succeeded',
              failures: [],
            },
          ],
        },
        {
          file: 'templates/a&b.test.yaml',
          workflow: 'a-b',
          duration_ms: 850,
          cases: [
            {
              name: 'quotes "<tags>" & \u001b[31mcolour\u001b[0m',
              line: 9,
              column: 5,
              status: 'failed',
              duration_ms: 850,
              run_status: 'failed',
              failures: [
                {
                  line: 14,
                  column: 9,
                  what: 'step fix status',
                  expected: 'succeeded',
                  actual: 'failed (exit_code: exit code 1)',
                },
                { line: 9, column: 5, what: 'timed out after 1s; the run was cancelled', expected: null, actual: null },
              ],
            },
          ],
        },
      ],
    });
  });

  it('junit: well-formed XML — testsuites, a testsuite per file, a testcase per case, failures escaped', () => {
    const xml = junitReport(RESULT);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(parseXml(xml)).toEqual({
      tag: 'testsuites',
      attrib: { name: 'flowline test', tests: '2', failures: '1', errors: '0', time: '2.500' },
      text: '',
      children: [
        {
          tag: 'testsuite',
          attrib: {
            name: 'templates/fix.test.yaml',
            tests: '1',
            failures: '0',
            errors: '0',
            skipped: '0',
            time: '1.200',
          },
          text: '',
          children: [
            {
              tag: 'testcase',
              attrib: { classname: 'fix', name: 'fixes it', file: 'templates/fix.test.yaml', line: '4', time: '1.200' },
              text: '',
              children: [],
            },
          ],
        },
        {
          tag: 'testsuite',
          attrib: {
            name: 'templates/a&b.test.yaml',
            tests: '1',
            failures: '1',
            errors: '0',
            skipped: '0',
            time: '0.850',
          },
          text: '',
          children: [
            {
              tag: 'testcase',
              attrib: {
                classname: 'a-b',
                name: 'quotes "<tags>" & \uFFFD[31mcolour\uFFFD[0m',
                file: 'templates/a&b.test.yaml',
                line: '9',
                time: '0.850',
              },
              text: '',
              children: [
                {
                  tag: 'failure',
                  attrib: {
                    message: 'step fix status: expected succeeded, got failed (exit_code: exit code 1) (and 1 more)',
                    type: 'ExpectationFailed',
                  },
                  text: [
                    'templates/a&b.test.yaml:14:9: step fix status',
                    '  expected: succeeded',
                    '  actual:   failed (exit_code: exit code 1)',
                    'templates/a&b.test.yaml:9:5: timed out after 1s; the run was cancelled',
                  ].join('\n'),
                  children: [],
                },
              ],
            },
          ],
        },
      ],
    });
  });
});

import { formatBytes } from '@flowline/core';
import { lintText, loadWorkflow } from '@flowline/workflow';

import { generateWorkflow } from '../generate-workflow.js';
import { timeRuns } from '../measure.js';
import type { Row } from '../report.js';

const STEPS = 5000;
/**
 * A 5,000-step workflow is ten times any we have seen; a second keeps lint in
 * a pre-commit hook. (The positioned YAML parse that places findings is a
 * third of it: it runs once any rule reports.)
 */
const TARGET_MS = 1000;

/**
 * `flowline lint` on the generated 5,000-step workflow: validation plus the
 * whole rule catalogue, suppressions and severities. Floor: validation alone
 * (parse + schema + logic + compile), which lint must do first anyway, so the
 * ratio is what the rules add.
 */
export function lintSuite(): Row[] {
  const text = generateWorkflow(STEPS);
  const validate = () => loadWorkflow(text, { file: 'generated.yaml' });
  const lint = () => lintText(text, { file: 'generated.yaml' });
  if (!validate().ok) throw new Error('generated workflow is invalid');
  const floor = timeRuns(validate, 11);
  const linted = timeRuns(lint, 11);
  const ratio = floor.medianMs / linted.medianMs;
  return [
    {
      benchmark: `lint, ${STEPS.toLocaleString('en')} steps (${formatBytes(Buffer.byteLength(text))}), every rule, warm median`,
      result: `${linted.medianMs.toFixed(0)} ms (p95 ${linted.p95Ms.toFixed(0)} ms), ${lint().length} findings`,
      floor: `${floor.medianMs.toFixed(0)} ms (validation alone)`,
      ratio,
      target: `< ${TARGET_MS} ms`,
      met: linted.medianMs < TARGET_MS,
    },
  ];
}

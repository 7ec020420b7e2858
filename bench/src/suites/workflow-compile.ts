import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { formatBytes } from '@flowline/core';
import { loadWorkflow } from '@flowline/workflow';
import jsyaml from 'js-yaml';
import { parseDocument } from 'yaml';

import { generateWorkflow } from '../generate-workflow.js';
import { summarize, timeRuns } from '../measure.js';
import type { Row } from '../report.js';

const STEPS = 5000;
const TARGET_MS = 300;

/**
 * parse + validate + compile of a generated 5,000-step workflow, the path
 * every `flowline run` and every API submission takes. Floor: js-yaml parsing
 * the same text into a plain value, the one piece of work no validator can
 * skip. For reference, the `yaml` package's positioned parse, which Flowline
 * now does only when it has a diagnostic to place.
 */
export function workflowCompileSuite(): Row[] {
  const text = generateWorkflow(STEPS);
  const load = () => {
    const result = loadWorkflow(text, { file: 'generated.yaml' });
    if (!result.ok) throw new Error(`generated workflow is invalid: ${result.diagnostics[0]?.message}`);
    return result;
  };
  // First call in a fresh process (cold JIT, first use of every code path),
  // measured in separate processes: one sample of a cold start is noise.
  const coldMs = summarize(Array.from({ length: 5 }, () => firstLoadInFreshProcess())).medianMs;
  const warm = timeRuns(load, 15);
  const floor = timeRuns(() => jsyaml.load(text), 15);
  const positioned = timeRuns(() => parseDocument(text), 7);
  const size = formatBytes(Buffer.byteLength(text));
  const rows: Row[] = [
    {
      benchmark: `parse + validate + compile, ${STEPS.toLocaleString('en')} steps (${size}), warm median`,
      result: `${warm.medianMs.toFixed(0)} ms (p95 ${warm.p95Ms.toFixed(0)} ms)`,
      floor: `${floor.medianMs.toFixed(0)} ms (js-yaml parse only)`,
      ratio: floor.medianMs / warm.medianMs,
      target: `< ${TARGET_MS} ms`,
      met: warm.medianMs < TARGET_MS,
    },
    {
      benchmark: 'same, first call in a fresh process (cold JIT), median of 5 processes',
      result: `${coldMs.toFixed(0)} ms`,
      target: `< ${TARGET_MS} ms`,
      met: coldMs < TARGET_MS,
    },
    {
      benchmark: 'for reference: the `yaml` package’s positioned parse of that file (now only for diagnostics)',
      result: `${positioned.medianMs.toFixed(0)} ms`,
      target: 'reported',
      met: true,
    },
  ];
  return [...rows, ...cliRows(text)];
}

/** Runs this module's `--first-load` mode in a new Node process and reads back its timing. */
function firstLoadInFreshProcess(): number {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--first-load'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`first-load process failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--first-load')) {
  const text = generateWorkflow(STEPS);
  const start = performance.now();
  loadWorkflow(text, { file: 'generated.yaml' });
  process.stdout.write(`${performance.now() - start}\n`);
}

/** `flowline validate` as a user runs it, on a small example and on the large file, against a bare `node -e 0`. */
function cliRows(text: string): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-'));
  const file = join(dir, 'generated.yaml');
  writeFileSync(file, text);
  const time = (args: string[]) =>
    summarize(
      Array.from({ length: 9 }, () => {
        const start = performance.now();
        const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
        if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
        return performance.now() - start;
      }),
    ).medianMs;
  const bare = time(['-e', '0']);
  const row = (benchmark: string, ms: number): Row => ({
    benchmark,
    result: `${ms.toFixed(0)} ms`,
    floor: `${bare.toFixed(0)} ms (node -e 0)`,
    ratio: bare / ms,
    target: 'reported',
    met: true,
  });
  const cli = 'services/cli/bin/flowline.js';
  return [
    row(
      '`flowline validate templates/examples/hello.yaml`, whole process',
      time([cli, 'validate', '-q', 'templates/examples/hello.yaml']),
    ),
    row(
      `\`flowline validate\` of the ${STEPS.toLocaleString('en')}-step file, whole process`,
      time([cli, 'validate', '-q', file]),
    ),
  ];
}

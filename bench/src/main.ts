import { fileURLToPath } from 'node:url';

import { type Row, machine, markdownTable, writeSection } from './report.js';
import { fsCacheSuite } from './suites/fs-cache.js';
import { lintSuite } from './suites/lint.js';
import { localRunSuite } from './suites/local-run.js';
import { schedulerSuite } from './suites/scheduler.js';
import { templateRenderSuite } from './suites/template-render.js';
import { workflowCompileSuite } from './suites/workflow-compile.js';

/**
 * `npm run bench`: runs every suite on this machine, prints the table, and
 * writes it into docs/benchmarks.md. Targets live here, never in unit tests.
 * The compile suite runs first so its "first call" row is really cold.
 */
const suites: readonly [string, () => Row[] | Promise<Row[]>][] = [
  ['workflow language', workflowCompileSuite],
  ['lint', lintSuite],
  ['templates', templateRenderSuite],
  ['scheduler', schedulerSuite],
  ['filesystem cache', fsCacheSuite],
  ['local runs', localRunSuite],
];

const rows: Row[] = [];
for (const [name, suite] of suites) {
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await suite()));
}
const table = `Measured on ${machine()}.\n\n${markdownTable(rows)}`;
process.stdout.write(`${table}\n`);
writeSection(fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url)), 'local', table);
const missed = rows.filter((r) => !r.met);
if (missed.length > 0) process.stderr.write(`bench: ${missed.length} target(s) not met\n`);

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { machine, markdownTable, writeSection } from './report.js';
import { clusterSuite } from './suites/cluster.js';

/**
 * `npm run bench:cluster`: the cluster on this machine (issue 4's targets),
 * printed and written into the `cluster` section of docs/benchmarks.md; the
 * local sections are left as they are. Sizes can be lowered for a quick
 * look (`-- --scale-runs 1000`); the docs record the command that made them.
 */
const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '8' },
    runs: { type: 'string', default: '1000' },
    'scale-runs': { type: 'string', default: '10000' },
    'floor-jobs': { type: 'string', default: '20000' },
    'idle-runs': { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
    /** CPU profiles of the worker processes (and, with `node --cpu-prof`, of this one: the coordinator). */
    'profile-dir': { type: 'string' },
  },
});
const options = {
  workers: Number(values.workers),
  concurrency: Number(values.concurrency),
  runs: Number(values.runs),
  scaleRuns: Number(values['scale-runs']),
  floorJobs: Number(values['floor-jobs']),
  idleRuns: Number(values['idle-runs']),
};
for (const [name, value] of Object.entries(options)) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive whole number`);
}
const profileDir = values['profile-dir'];

const started = Date.now();
const rows = await clusterSuite({ ...options, ...(profileDir === undefined ? {} : { profileDir }) });
const command = `npm run bench:cluster -- --workers ${options.workers} --concurrency ${options.concurrency} --runs ${options.runs} --scale-runs ${options.scaleRuns}`;
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const table = `Measured on ${machine()} with \`${command}\` (${minutes} min in all).\n\n${markdownTable(rows)}`;
process.stdout.write(`${table}\n`);
if (!values['no-write']) {
  writeSection(fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url)), 'cluster', table);
}
const missed = rows.filter((r) => !r.met);
if (missed.length > 0) process.stderr.write(`bench:cluster: ${missed.length} target(s) not met\n`);

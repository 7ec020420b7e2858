import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '@flowline/core';
import type { CacheEntry } from '@flowline/ports';
import { FsStepCache } from '@flowline/store-fs';

import { type Sample, summarize } from '../measure.js';
import type { Row } from '../report.js';

const ENTRIES = 500;
const WARMUP = 300;
const RUNS = 3000;
const TARGET_P50_MS = 2;

/**
 * The embedded step cache's hit: `get()` of an existing entry — open, read,
 * verify the digest, parse, check the shape and expiry — for a shell step's
 * realistic outputs (a 2 KiB stdout tail, an `outputs_from` summary, five
 * changed files), in a temp dir holding 500 entries. The floor is
 * readFile + JSON.parse of the same files: what any file cache must pay.
 * Async, unlike the CPU-bound suites: the work is I/O.
 */
export async function fsCacheSuite(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'flowline-bench-cache-'));
  try {
    const cache = new FsStepCache(dir);
    const keys = Array.from({ length: ENTRIES }, (_, i) => sha256Hex(`entry-${i}`));
    for (const key of keys) await cache.put(entryFor(key));
    const [ours, floor] = await timeInterleaved(keys, [
      async (key) => {
        if ((await cache.get(key, Date.now())) === undefined) throw new Error(`bench: cache miss for ${key}`);
      },
      async (key) => {
        JSON.parse(await readFile(cache.pathOf(key), 'utf8'));
      },
    ]);
    return [row(ours, floor)];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function row(ours: Sample, floor: Sample): Row {
  const ms = (s: Sample) => `p50 ${s.medianMs.toFixed(3)} ms · p95 ${s.p95Ms.toFixed(3)} ms`;
  return {
    benchmark: `filesystem step cache hit: get() of a small entry (${ENTRIES} entries on disk, ${RUNS} gets)`,
    result: ms(ours),
    floor: `${ms(floor)} (readFile + JSON.parse of the same file)`,
    ratio: floor.medianMs / ours.medianMs,
    target: `p50 < ${TARGET_P50_MS} ms`,
    met: ours.medianMs < TARGET_P50_MS,
  };
}

/**
 * Times each op once per call, cycling through `keys`, after a warm-up. The
 * ops take turns (and swap who goes first), so drift in the machine — page
 * cache, GC, JIT — falls on both alike.
 */
async function timeInterleaved(
  keys: readonly string[],
  ops: readonly [(key: string) => Promise<void>, (key: string) => Promise<void>],
): Promise<[Sample, Sample]> {
  const times: [number[], number[]] = [[], []];
  for (let i = -WARMUP; i < RUNS; i++) {
    const key = keys[((i + WARMUP) * 7) % keys.length]!; // a stride, so files are not read in directory order
    for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const start = performance.now();
      await ops[which]!(key);
      if (i >= 0) times[which]!.push(performance.now() - start);
    }
  }
  return [summarize(times[0]), summarize(times[1])];
}

function entryFor(key: string): CacheEntry {
  const files = ['src/a.ts', 'src/b.ts', 'test/a.test.ts', 'coverage/coverage-summary.json', 'README.md'];
  return {
    key,
    stepType: 'shell',
    outputs: {
      exit_code: 0,
      stdout: 'PASS test/a.test.ts\n'.repeat(100).slice(0, 2048),
      stderr: '',
      total: { lines: { total: 1200, covered: 1001, pct: 83.41 }, branches: { total: 300, covered: 222, pct: 74 } },
    },
    changes: {
      entries: files.map((path, i) => ({ kind: 'file', path, digest: sha256Hex(path), size: 1000 + i, mode: 0o644 })),
    },
    createdAt: Date.now(),
    expiresAt: Date.now() + 7 * 24 * 3600 * 1000,
  };
}

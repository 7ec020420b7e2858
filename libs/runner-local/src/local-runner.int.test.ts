import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { type Harness, harness, outputsOf, statuses } from './test-support/local-harness.js';

let h: Harness;
afterEach(() => h.cleanup());

async function stateFiles(dir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(await readFile(path, 'utf8'));
    }
  };
  await walk(dir);
  return out.join('\n');
}

describe.each(['bwrap', 'none'] as const)('local runner, sandbox %s', (mode) => {
  it('a step sees the files its needs wrote, and the run ends with them in the workspace', async () => {
    h = await harness(mode);
    const result = await h.run(`
version: 1
name: chain
steps:
  - { id: a, type: shell, run: 'mkdir -p out && echo one > out/a.txt' }
  - { id: b, type: shell, needs: [a], run: 'cat out/a.txt > out/b.txt; echo two >> out/b.txt' }
`);
    expect(statuses(result)).toEqual({ a: 'succeeded', b: 'succeeded' });
    expect(await h.read('out/b.txt')).toBe('one\ntwo\n');
    expect(outputsOf(result, 'b')['files_changed']).toEqual(['out/b.txt']);
    // The change set is kept as a blob, so another machine could rebuild the workspace from it.
    const digest = result.state.steps.get(1).changes!;
    const copy = join(h.root, 'changes.json');
    await h.deps().blobs.getFile(digest, copy, 0o644);
    const changes = JSON.parse(await readFile(copy, 'utf8')) as { entries: { path: string; kind: string }[] };
    expect(changes.entries.map((e) => [e.kind, e.path])).toEqual([['file', 'out/b.txt']]);
  });

  it('masks secrets in outputs, logs, the event log and error messages', async () => {
    h = await harness(mode);
    const secret = 'sk-live-4f9a8b7c6d';
    const result = await h.run(
      `
version: 1
name: secrets
secrets: [API_KEY]
steps:
  - id: leak
    type: shell
    run: |
      echo "key=$API_KEY"
      echo "k=$API_KEY" >> "$FLOWLINE_OUTPUT"
      echo "{\\"k\\": \\"$API_KEY\\"}"
      echo -n "$API_KEY" | base64
  - id: fail
    type: shell
    needs: [leak]
    run: 'echo "bad $API_KEY" >&2; exit 1'
`,
      { secrets: { API_KEY: secret } },
    );
    expect(outputsOf(result, 'leak')['k']).toBe('***');
    const all = await stateFiles(h.stateDir);
    expect(all).toContain('key=***');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
    expect(JSON.stringify(result.state)).not.toContain(secret);
    expect(result.record.error?.message).toContain('bad ***');
  });
});

describe('local runner, workspace isolation (bubblewrap)', () => {
  it("discards a failed attempt's changes, so the retry starts from the same files", async () => {
    h = await harness('bwrap');
    await h.write('counter.txt', 'start\n');
    const result = await h.run(`
version: 1
name: retry-clean
steps:
  - id: flaky
    type: shell
    retry: { max_attempts: 3, initial_delay: 10ms }
    run: |
      echo "attempt {{step.attempt}}" >> counter.txt
      rm -f doomed.txt
      test {{step.attempt}} -ge 3
`);
    expect(statuses(result)).toEqual({ flaky: 'succeeded' });
    expect(await h.read('counter.txt')).toBe('start\nattempt 3\n');
  });

  it('fails the join of two parallel steps that changed the same file, naming it', async () => {
    h = await harness('bwrap');
    const result = await h.run(`
version: 1
name: conflict
steps:
  - { id: left, type: shell, run: 'echo left > shared.txt' }
  - { id: right, type: shell, run: 'echo right > shared.txt' }
  - { id: join, type: shell, needs: [left, right], run: 'cat shared.txt' }
`);
    expect(statuses(result)).toEqual({ left: 'succeeded', right: 'succeeded', join: 'failed' });
    const error = result.state.steps.get(2).error;
    expect(error).toMatchObject({ code: 'workspace_conflict', retryable: false });
    expect(error?.message).toContain('shared.txt');
    expect(error?.message).toMatch(/left and right|right and left/);
  });

  it('lets sequential steps change the same file', async () => {
    h = await harness('bwrap');
    const result = await h.run(`
version: 1
name: sequential
steps:
  - { id: a, type: shell, run: 'echo a > f.txt' }
  - { id: b, type: shell, needs: [a], run: 'echo b >> f.txt' }
  - { id: c, type: shell, needs: [b], run: 'cat f.txt' }
`);
    expect(statuses(result)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(outputsOf(result, 'c')['stdout']).toBe('a\nb\n');
  });

  it('template steps write through the same capture', async () => {
    h = await harness('bwrap');
    const result = await h.run(`
version: 1
name: tpl
steps:
  - { id: t, type: template, template: 'hi {{run.id}}', output: 'reports/r.txt' }
  - { id: show, type: shell, needs: [t], run: 'cat reports/r.txt' }
`);
    expect(outputsOf(result, 'show')['stdout']).toBe(`hi ${result.record.runId}`);
    expect(outputsOf(result, 't')['files_changed']).toEqual(['reports/r.txt']);
  });
});

describe('local runner, step cache', () => {
  const cached = `
version: 1
name: cached
steps:
  - id: build
    type: shell
    cache: { enabled: true, files: ['src/**'] }
    run: |
      echo built >> build-count.log
      mkdir -p dist && cat src/*.txt > dist/out.txt
      echo "lines=$(wc -l < dist/out.txt)" >> "$FLOWLINE_OUTPUT"
`;

  it('a second run hits the cache and restores outputs and files; a changed cache.files input misses', async () => {
    h = await harness('bwrap');
    await h.write('src/a.txt', 'one\n');
    const first = await h.run(cached);
    expect(first.state.steps.get(0)).toMatchObject({ status: 'succeeded' });
    expect(first.state.steps.get(0).cacheHit).toBeUndefined();
    await h.write('dist/out.txt', 'clobbered\n');
    const second = await h.run(cached);
    expect(second.state.steps.get(0)).toMatchObject({ status: 'succeeded', cacheHit: true });
    expect(outputsOf(second, 'build')['lines']).toBe('1');
    expect(await h.read('dist/out.txt')).toBe('one\n');
    expect(await h.read('build-count.log')).toBe('built\n');
    await h.write('src/a.txt', 'one\ntwo\n');
    const third = await h.run(cached);
    expect(third.state.steps.get(0).cacheHit).toBeUndefined();
    expect(outputsOf(third, 'build')['lines']).toBe('2');
    expect(await h.read('build-count.log')).toBe('built\nbuilt\n');
  });

  it('--no-cache neither reads nor writes the cache', async () => {
    h = await harness('bwrap');
    await h.write('src/a.txt', 'one\n');
    await h.run(cached, { cache: false });
    const second = await h.run(cached, { cache: false });
    expect(second.state.steps.get(0).cacheHit).toBeUndefined();
    expect(await h.read('build-count.log')).toBe('built\nbuilt\n');
  });
});

describe('local runner, failures', () => {
  it('fails the run with the step error and skips what needed it', async () => {
    h = await harness('none');
    const result = await h.run(`
version: 1
name: failing
steps:
  - { id: a, type: shell, run: 'echo nope >&2; exit 4' }
  - { id: b, type: shell, needs: [a], run: 'true' }
`);
    expect(result.record.status).toBe('failed');
    expect(statuses(result)).toEqual({ a: 'failed', b: 'upstream_failed' });
    expect(result.record.error?.message).toBe('step a failed: exit code 4: nope');
  });

  it('fails a step whose outputs are over its cap, naming the size', async () => {
    h = await harness('none');
    const result = await h.run(`
version: 1
name: big
steps:
  - { id: a, type: shell, max_output_size: 1KiB, run: 'head -c 4000 /dev/zero | tr "\\\\0" x' }
`);
    expect(result.state.steps.get(0).error).toMatchObject({ code: 'output_too_large', retryable: false });
    expect(result.state.steps.get(0).error?.message).toMatch(/over the step's cap of 1 KiB/);
  });
});

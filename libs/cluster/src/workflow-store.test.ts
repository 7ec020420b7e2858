import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ValidationError } from '@flowline/core';
import { FsBlobStore } from '@flowline/store-fs';

import { WorkflowStore } from './workflow-store.js';

const bundle = (name: string) => ({
  file: `${name}.yaml`,
  text: `version: 1\nname: ${name}\nsteps:\n  - { id: a, type: assert, that: ["{{eq 1 1}}"] }\n`,
  templateFiles: {},
});

describe('WorkflowStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowline-workflow-store-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('compiles and stores a bundle once, however many runs put it at once', async () => {
    const store = new WorkflowStore(new FsBlobStore(join(dir, 'state')), dir);
    const puts = await Promise.all(Array.from({ length: 50 }, () => store.put(bundle('same'))));
    expect(new Set(puts.map((p) => p.source)).size).toBe(1);
    expect(new Set(puts.map((p) => p.workflow)).size).toBe(1); // one compiled workflow, shared
    expect(await store.get(puts[0]!.source)).toBe(puts[0]!.workflow);
    const later = await store.put(bundle('same'));
    expect(later.workflow).toBe(puts[0]!.workflow);
  });

  it('keeps different bundles apart, and another store compiles a stored bundle from the blobs', async () => {
    const blobs = new FsBlobStore(join(dir, 'state'));
    const store = new WorkflowStore(blobs, dir);
    const [one, two] = await Promise.all([store.put(bundle('one')), store.put(bundle('two'))]);
    expect(one.source).not.toBe(two.source);
    expect(one.workflow.name).toBe('one');
    const worker = new WorkflowStore(blobs, dir);
    expect((await worker.get(two.source)).name).toBe('two');
  });

  it('refuses an invalid bundle every time it is put (a failure is not remembered)', async () => {
    const store = new WorkflowStore(new FsBlobStore(join(dir, 'state')), dir);
    const bad = { file: 'bad.yaml', text: 'version: 1\nname: bad\nsteps: []\n', templateFiles: {} };
    await expect(store.put(bad)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.put(bad)).rejects.toBeInstanceOf(ValidationError);
  });
});

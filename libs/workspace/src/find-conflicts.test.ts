import { describe, expect, it } from '@jest/globals';
import { type ChangeEntry } from '@flowline/ports';

import { type StepChanges, findConflicts } from './find-conflicts.js';

const write = (path: string, digest = 'd1', mode = 0o644): ChangeEntry => ({
  kind: 'file',
  path,
  digest,
  size: 1,
  mode,
});
const del = (path: string): ChangeEntry => ({ kind: 'delete', path });
const dir = (path: string, mode = 0o755): ChangeEntry => ({ kind: 'dir', path, mode });
const link = (path: string, target: string): ChangeEntry => ({ kind: 'symlink', path, target });
const step = (name: string, ...entries: ChangeEntry[]): StepChanges => ({ step: name, changes: { entries } });
const allIndependent = (): boolean => true;

describe('findConflicts', () => {
  it('reports two independent steps changing the same file differently', () => {
    const found = findConflicts([step('a', write('x', 'd1')), step('b', write('x', 'd2'))], allIndependent);
    expect(found).toEqual({ path: 'x', steps: ['a', 'b'] });
  });

  it('differing modes, link targets, or a write against a delete are conflicts too', () => {
    expect(findConflicts([step('a', write('x')), step('b', write('x', 'd1', 0o755))], allIndependent)?.path).toBe('x');
    expect(findConflicts([step('a', link('l', 'p')), step('b', link('l', 'q'))], allIndependent)?.path).toBe('l');
    expect(findConflicts([step('a', del('x')), step('b', write('x'))], allIndependent)?.path).toBe('x');
    expect(findConflicts([step('a', dir('d', 0o700)), step('b', dir('d'))], allIndependent)?.path).toBe('d');
  });

  it('identical changes agree: same bytes, same deletion, same directory', () => {
    const a = step('a', del('gone'), dir('new'), write('new/f'), link('l', 't'));
    const b = step('b', del('gone'), dir('new'), write('new/f'), link('l', 't'));
    expect(findConflicts([a, b], allIndependent)).toBeUndefined();
  });

  it('one step deleting or replacing a directory the other writes into is a conflict, naming the written path', () => {
    const removes = step('cleanup', del('build'));
    const writes = step('compile', write('build/out/app.js'));
    expect(findConflicts([writes, removes], allIndependent)).toEqual({
      path: 'build/out/app.js',
      steps: ['compile', 'cleanup'],
    });
    const replaces = step('flatten', del('src'), write('src'));
    expect(findConflicts([replaces, step('edit', write('src/a.ts'))], allIndependent)?.path).toBe('src/a.ts');
    const opaque = step('regen', del('gen'), dir('gen'), write('gen/a'));
    expect(findConflicts([opaque, step('add', write('gen/b'))], allIndependent)).toEqual({
      path: 'gen/b',
      steps: ['regen', 'add'],
    });
  });

  it('writes beside each other in one directory, or a sibling with a shared prefix, do not conflict', () => {
    const a = step('a', dir('lib'), write('lib/a'), del('src'));
    const b = step('b', dir('lib'), write('lib/b'), write('src-old/x'), write('src.txt'));
    expect(findConflicts([a, b], allIndependent)).toBeUndefined();
  });

  it('ignores pairs where one step depends on the other', () => {
    const dependsOn = (x: string, y: string): boolean => (x === 'a' && y === 'b') || (x === 'b' && y === 'a');
    const manifests = [step('a', write('x', 'd1')), step('b', write('x', 'd2')), step('c', write('y'))];
    expect(findConflicts(manifests, (x, y) => !dependsOn(x, y))).toBeUndefined();
    const withC = [...manifests, step('d', write('x', 'd3'))];
    expect(findConflicts(withC, (x, y) => !dependsOn(x, y))).toEqual({ path: 'x', steps: ['a', 'd'] });
  });

  it('is deterministic: pairs in input order, then the smallest path of the pair', () => {
    const manifests = [
      step('a', write('z', 'a'), write('m', 'a')),
      step('b', write('q', 'b')),
      step('c', write('z', 'c'), write('m', 'c'), write('q', 'c')),
    ];
    expect(findConflicts(manifests, allIndependent)).toEqual({ path: 'm', steps: ['a', 'c'] });
    expect(findConflicts([...manifests].reverse(), allIndependent)).toEqual({ path: 'q', steps: ['c', 'b'] });
  });

  it('finds nothing in no manifests, one manifest, or empty change sets', () => {
    expect(findConflicts([], allIndependent)).toBeUndefined();
    expect(findConflicts([step('a', write('x'))], allIndependent)).toBeUndefined();
    expect(findConflicts([step('a'), step('b')], allIndependent)).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';

import { messages, places, steps } from '../test-support/lint-yaml.js';
import { cacheWithoutFiles } from './logic-cache-rules.js';

describe('cache-without-files', () => {
  const rule = cacheWithoutFiles;

  it('reports an install cached with no files, at the cache key', () => {
    const yaml = steps('  - id: install', '    type: shell', '    run: npm ci', '    cache: { enabled: true }');
    expect(places(rule, yaml)).toEqual(['6:5 cache-without-files']);
    expect(messages(rule, yaml)).toEqual([
      'step "install": cache is enabled with no cache.files, so the key ignores the workspace and npm ci is skipped even when package-lock.json changed; list the files it depends on in cache.files',
    ]);
  });

  it('reports an agent cached through defaults with an empty list, at the list or defaults', () => {
    const fromDefaults = `name: w\ndefaults:\n  cache: { enabled: true }\nsteps:\n  - { id: fix, type: claude_code, prompt: Fix }\n`;
    const emptyList = steps('  - { id: fix, type: claude_code, prompt: Fix, cache: { enabled: true, files: [] } }');
    expect(places(rule, fromDefaults)).toEqual(['3:3 cache-without-files']);
    expect(places(rule, emptyList)).toEqual(['3:79 cache-without-files']);
  });

  it('says nothing with files, without the cache, or for a step whose result is its configuration', () => {
    expect(
      places(
        rule,
        steps('  - { id: i, type: shell, run: npm ci, cache: { enabled: true, files: [package-lock.json] } }'),
      ),
    ).toEqual([]);
    expect(places(rule, steps('  - { id: i, type: shell, run: npm ci }'))).toEqual([]);
    expect(places(rule, steps('  - { id: d, type: shell, run: ./download.sh, cache: { enabled: true } }'))).toEqual([]);
  });
});

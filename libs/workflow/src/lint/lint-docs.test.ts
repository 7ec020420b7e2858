import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import { format, resolveConfig } from 'prettier';

import { renderLintDocs } from './docs/render-lint-docs.js';
import { LINT_RULES } from './rules/index.js';
import { META_RULES } from './suppression/meta-rules.js';

const DOCS = fileURLToPath(new URL('../../../../docs/lint-rules.md', import.meta.url));
const INTRO = new URL('./docs/lint-docs-intro.md', import.meta.url);

/** The page as generated, in Prettier's layout (so `prettier --check .` agrees with it). */
async function generated(): Promise<string> {
  const options = await resolveConfig(DOCS);
  return format(renderLintDocs(readFileSync(INTRO, 'utf8'), LINT_RULES, META_RULES), { ...options, filepath: DOCS });
}

describe('docs/lint-rules.md', () => {
  it('is generated from the catalogue (UPDATE_LINT_DOCS=1 rewrites it)', async () => {
    const expected = await generated();
    if (process.env['UPDATE_LINT_DOCS'] === '1') writeFileSync(DOCS, expected);
    expect(readFileSync(DOCS, 'utf8')).toBe(expected);
  });

  it('has a section, anchored by its id, and a table row for every rule and suppression diagnostic', () => {
    const page = renderLintDocs('# intro', LINT_RULES, META_RULES);
    for (const rule of [...LINT_RULES, ...META_RULES]) {
      expect(page).toContain(`\n### ${rule.id}\n`);
      expect(page).toContain(`| [\`${rule.id}\`](#${rule.id}) | ${rule.severity} |`);
    }
  });
});

/**
 * Where the rule docs live on the web, for SARIF `helpUri`s: the project site
 * serves the repository's docs/ directory at /docs/, so `#<rule-id>` is the
 * anchor of a rule's `### <rule-id>` section in docs/lint-rules.md.
 */
export const LINT_DOCS_URL = 'https://flowline.dev/docs/lint-rules.md';

/** The language reference; its `#codes` table lists every validation code. */
export const LANGUAGE_CODES_URL = 'https://flowline.dev/docs/workflow-language.md#codes';

/** The tool's home page (SARIF `informationUri`). */
export const FLOWLINE_URL = 'https://flowline.dev';

export function ruleDocsUrl(ruleId: string): string {
  return `${LINT_DOCS_URL}#${ruleId}`;
}

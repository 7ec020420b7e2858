import type { LintCategory, LintRuleDescription } from '../lint-rule.js';
import { LINT_RULES } from '../rules/index.js';
import { META_RULES } from '../suppression/meta-rules.js';
import { CATEGORY_TITLES, ruleDocMarkdown } from './rule-docs.js';

const CATEGORIES: readonly LintCategory[] = ['logic', 'performance', 'security', 'best-practice'];

/**
 * docs/lint-rules.md: the hand-written guide (`intro`: usage, formats,
 * suppression, configuration, SARIF; kept beside this file in
 * lint-docs-intro.md), then the catalogue by category, each with a table and a
 * section per rule, then the diagnostics about suppression comments.
 * lint-docs.test.ts keeps the file equal to this.
 */
export function renderLintDocs(
  intro: string,
  rules: readonly LintRuleDescription[] = LINT_RULES,
  meta: readonly LintRuleDescription[] = META_RULES,
): string {
  const sections = [
    intro.trim(),
    catalogueOverview(rules),
    ...CATEGORIES.map((category) =>
      categorySection(
        category,
        rules.filter((rule) => rule.category === category),
      ),
    ),
    metaSection(meta),
  ];
  return `${sections.join('\n\n')}\n`;
}

function catalogueOverview(rules: readonly LintRuleDescription[]): string {
  const counts = CATEGORIES.map(
    (category) =>
      `${rules.filter((rule) => rule.category === category).length} ${CATEGORY_TITLES[category].toLowerCase()}`,
  );
  return [
    '## The rules',
    `${rules.length} rules: ${counts.join(', ')}. Each has an id (what suppressions and the configuration name), ` +
      'a category, and a default severity that `.flowline-lint.yaml` can change.',
  ].join('\n\n');
}

function categorySection(category: LintCategory, rules: readonly LintRuleDescription[]): string {
  const title = `## ${CATEGORY_TITLES[category]}`;
  if (rules.length === 0) return `${title}\n\nNo rules in this category yet.`;
  return [title, ruleTable(rules), ...rules.map(ruleSection)].join('\n\n');
}

function metaSection(meta: readonly LintRuleDescription[]): string {
  return [
    '## Diagnostics about suppression comments',
    'These report mistakes in `# flowline-lint-…` comments ([Suppressing findings](#suppressing-findings)). ' +
      'A comment cannot suppress them; the configuration can change their severity or turn them off.',
    ruleTable(meta),
    ...meta.map(ruleSection),
  ].join('\n\n');
}

function ruleTable(rules: readonly LintRuleDescription[]): string {
  const rows = rules.map((rule) => `| [\`${rule.id}\`](#${rule.id}) | ${rule.severity} | ${cell(rule.summary)} |`);
  return ['| rule | severity | finds |', '| --- | --- | --- |', ...rows].join('\n');
}

function ruleSection(rule: LintRuleDescription): string {
  return `### ${rule.id}\n\n${ruleDocMarkdown(rule)}`;
}

/** A pipe inside a table cell would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

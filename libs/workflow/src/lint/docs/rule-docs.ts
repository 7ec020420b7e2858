import type { LintCategory, LintRuleDescription } from '../lint-rule.js';

export const CATEGORY_TITLES: Readonly<Record<LintCategory, string>> = {
  logic: 'Logic',
  performance: 'Performance',
  security: 'Security',
  'best-practice': 'Best practice',
};

/**
 * A rule's documentation in Markdown, without a heading: its category and
 * severity, why it matters, how to fix it, and the bad and good examples.
 * docs/lint-rules.md and SARIF's `help.markdown` both show it.
 */
export function ruleDocMarkdown(rule: LintRuleDescription): string {
  const parts = [
    `Category: ${CATEGORY_TITLES[rule.category].toLowerCase()} · default severity: ${rule.severity}`,
    `**Why.** ${rule.docs.why}`,
    `**How to fix.** ${rule.docs.fix}`,
  ];
  if (rule.docs.bad !== undefined) parts.push(`Reported:\n\n${yamlBlock(rule.docs.bad)}`);
  if (rule.docs.good !== undefined) parts.push(`Not reported:\n\n${yamlBlock(rule.docs.good)}`);
  return parts.join('\n\n');
}

/** The same as plain text (SARIF `help.text`, for viewers that do not render Markdown). */
export function ruleDocText(rule: LintRuleDescription): string {
  return `${rule.docs.why}\n\nHow to fix: ${rule.docs.fix}`;
}

function yamlBlock(yaml: string): string {
  return `\`\`\`yaml\n${yaml.replace(/\n+$/, '')}\n\`\`\``;
}

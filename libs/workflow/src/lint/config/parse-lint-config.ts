import type { Diagnostic } from '@flowline/core';

import { DiagnosticSink } from '../../diagnostics.js';
import { parseSource } from '../../source/parse-source.js';
import type { SourcePositions } from '../../source/source-positions.js';
import { describeValue } from '../../util/describe.js';
import { didYouMean } from '../../util/did-you-mean.js';
import { CONFIGURED_SEVERITIES, type ConfiguredSeverity, type LintConfig } from '../lint-config.js';
import type { LintRuleDescription } from '../lint-rule.js';
import { LINT_RULES } from '../rules/index.js';
import { META_RULES } from '../suppression/meta-rules.js';

export type ParsedLintConfig =
  | { readonly ok: true; readonly config: LintConfig }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const TOP_LEVEL_KEYS = ['rules'];

/**
 * `.flowline-lint.yaml` text → severities by rule id, or every problem with
 * its place. An empty file (or one with only comments) configures nothing.
 */
export function parseLintConfig(
  text: string,
  file: string,
  known: readonly LintRuleDescription[] = [...LINT_RULES, ...META_RULES],
): ParsedLintConfig {
  const sink = new DiagnosticSink(file);
  if (text.split(/\r?\n/).every((line) => /^\s*(#.*)?$/.test(line))) return emptyConfig(file);
  const source = parseSource(text, sink);
  if (source === undefined) return { ok: false, diagnostics: sink.items.map(configWording) };
  const rules = readRules(
    source.value,
    source.positions,
    sink,
    known.map((rule) => rule.id),
  );
  return sink.hasErrors ? { ok: false, diagnostics: sink.items } : { ok: true, config: { file, rules } };
}

function emptyConfig(file: string): ParsedLintConfig {
  return { ok: true, config: { file, rules: new Map() } };
}

/** parseSource words its "not a mapping" error for workflows; say what a config holds instead. */
function configWording(d: Diagnostic): Diagnostic {
  return d.code === 'yaml-root-not-mapping'
    ? { ...d, message: 'the top level must be a mapping with `rules:` (rule id: error, warning or off)' }
    : d;
}

function readRules(
  value: Record<string, unknown>,
  positions: SourcePositions,
  sink: DiagnosticSink,
  known: readonly string[],
): Map<string, ConfiguredSeverity> {
  for (const key of Object.keys(value).filter((k) => !TOP_LEVEL_KEYS.includes(k))) {
    sink.error(
      'unknown-field',
      `unknown field "${key}"${didYouMean(key, TOP_LEVEL_KEYS)}; a lint config holds only rules:`,
      positions.keySpan([key]),
      { path: [key] },
    );
  }
  const rules = value['rules'] ?? {};
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    sink.error(
      'wrong-type',
      `rules must be a mapping of rule id to error, warning or off, not ${describeValue(rules)}`,
      positions.valueSpan(['rules']),
      { path: ['rules'] },
    );
    return new Map();
  }
  const severities = new Map<string, ConfiguredSeverity>();
  for (const [id, severity] of Object.entries(rules)) {
    const checked = checkEntry(id, severity, positions, sink, known);
    if (checked !== undefined) severities.set(id, checked);
  }
  return severities;
}

function checkEntry(
  id: string,
  severity: unknown,
  positions: SourcePositions,
  sink: DiagnosticSink,
  known: readonly string[],
): ConfiguredSeverity | undefined {
  const path = ['rules', id];
  if (!known.includes(id)) {
    sink.error('unknown-lint-rule', `unknown lint rule "${id}"${didYouMean(id, known)}`, positions.keySpan(path), {
      path,
    });
    return undefined;
  }
  if (!CONFIGURED_SEVERITIES.includes(severity as ConfiguredSeverity)) {
    sink.error(
      'bad-value',
      `rule "${id}": severity must be error, warning or off, not ${describeValue(severity)}`,
      positions.valueSpan(path),
      { path },
    );
    return undefined;
  }
  return severity as ConfiguredSeverity;
}

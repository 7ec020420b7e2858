import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Diagnostic } from '@flowline/core';

import { FLOWLINE_URL, LANGUAGE_CODES_URL, ruleDocsUrl } from '../docs/doc-links.js';
import { ruleDocMarkdown, ruleDocText } from '../docs/rule-docs.js';
import type { LintRuleDescription } from '../lint-rule.js';
import { LINT_RULES } from '../rules/index.js';
import { META_RULES } from '../suppression/meta-rules.js';
import type { FileLintResult } from './lint-report.js';

/** The OASIS schema of SARIF 2.1.0 (with errata 01), which the output validates against. */
export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Artifact URIs are relative to this base, which stands for the directory lint ran in. */
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  /** `tool.driver.version`: the flowline release that linted. */
  readonly toolVersion: string;
  /** File URIs are made relative to it (and `%SRCROOT%` points at it). */
  readonly cwd: string;
}

type Level = 'error' | 'warning';

interface ReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown?: string };
  readonly helpUri: string;
  readonly defaultConfiguration: { readonly level: Level };
  readonly properties: { readonly tags: readonly string[]; readonly 'security-severity'?: string };
}

/**
 * A SARIF 2.1.0 log of one run over every file, shaped for GitHub code
 * scanning: every rule described (id, descriptions, help, helpUri, default
 * level, category tag), and each result with its rule, level, message and one
 * location (file relative to `cwd`, 1-based region, end column exclusive).
 * `partialFingerprints` are left to github/codeql-action/upload-sarif, which
 * computes them from the files.
 */
export function sarifLog(results: readonly FileLintResult[], options: SarifOptions): object {
  const diagnostics = results.flatMap((r) => r.diagnostics);
  const rules = [...[...LINT_RULES, ...META_RULES].map(describeRule), ...validationRules(diagnostics)];
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const failures = results.filter((r) => r.error !== undefined);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flowline-lint',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: FLOWLINE_URL,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: failures.length === 0,
            toolExecutionNotifications: failures.map((r) => notification(r, options.cwd)),
          },
        ],
        results: diagnostics.map((d) => sarifResult(d, index.get(d.code) ?? -1, options.cwd)),
      },
    ],
  };
}

function describeRule(rule: LintRuleDescription): ReportingDescriptor {
  const security =
    rule.category === 'security' ? { 'security-severity': rule.severity === 'error' ? '8.0' : '5.0' } : {};
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: withinLimit(rule.summary) },
    fullDescription: { text: withinLimit(rule.docs.why) },
    help: { text: ruleDocText(rule), markdown: ruleDocMarkdown(rule) },
    helpUri: ruleDocsUrl(rule.id),
    defaultConfiguration: { level: rule.severity },
    properties: { tags: [rule.category], ...security },
  };
}

/** Validation codes are not catalogue rules; each one seen gets a generic entry pointing at the language docs. */
function validationRules(diagnostics: readonly Diagnostic[]): ReportingDescriptor[] {
  const described = new Set([...LINT_RULES, ...META_RULES].map((rule) => rule.id));
  const firstOfEach = new Map<string, Diagnostic>();
  for (const d of diagnostics) if (!described.has(d.code) && !firstOfEach.has(d.code)) firstOfEach.set(d.code, d);
  return [...firstOfEach.values()].map((d) => ({
    id: d.code,
    name: pascalCase(d.code),
    shortDescription: { text: `Workflow validation: ${d.code}` },
    fullDescription: {
      text: 'The workflow breaks a rule of the Flowline workflow language (flowline validate reports it too). Lint rules run only once validation passes.',
    },
    help: { text: `See the table of validation codes: ${LANGUAGE_CODES_URL}` },
    helpUri: LANGUAGE_CODES_URL,
    defaultConfiguration: { level: d.severity },
    properties: { tags: ['validation'] },
  }));
}

function sarifResult(d: Diagnostic, ruleIndex: number, cwd: string): object {
  return {
    ruleId: d.code,
    ruleIndex,
    level: d.severity,
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(d.file, cwd),
          region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
        },
      },
    ],
  };
}

function notification(result: FileLintResult, cwd: string): object {
  return {
    level: 'error',
    message: { text: result.error ?? '' },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(result.file, cwd) } }],
  };
}

/**
 * Relative to `cwd` with forward slashes, as GitHub matches files in the
 * repository; each segment percent-encoded so the URI is valid (`my%20flows/a.yaml`).
 */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  if (isAbsolute(rel)) return { uri: pathToFileURL(absolute).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(resolve(directory)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** GitHub code scanning takes descriptions of at most this many characters. */
export const SARIF_DESCRIPTION_LIMIT = 1024;

/**
 * The text, or as many of its whole sentences (else words) as fit the limit,
 * with an ellipsis. The full text is still in `help`.
 */
export function withinLimit(text: string, limit = SARIF_DESCRIPTION_LIMIT): string {
  if (text.length <= limit) return text;
  const head = text.slice(0, limit - 1);
  const sentenceEnd = head.lastIndexOf('. ');
  const cut = sentenceEnd > limit / 2 ? sentenceEnd + 1 : head.lastIndexOf(' ');
  return `${head.slice(0, cut > 0 ? cut : limit - 1).trimEnd()}…`;
}

/** `missing-version` → `MissingVersion`: SARIF's `name` is meant to read like an identifier. */
function pascalCase(id: string): string {
  return id
    .split(/[-_]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

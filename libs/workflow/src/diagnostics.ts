import { type Diagnostic, type Severity, type SourceSpan, hasErrors } from '@flowline/core';

import type { ValuePath } from './source/source-positions.js';

/** Optional facts about a finding; `file` overrides the sink's file (a template file, say). */
export interface DiagnosticExtra {
  readonly path?: ValuePath;
  readonly stepId?: string;
  readonly file?: string;
}

/** Collects diagnostics for one file, so rules only say what and where. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  constructor(readonly file: string) {}

  error(code: string, message: string, span: SourceSpan, extra: DiagnosticExtra = {}): void {
    this.add('error', code, message, span, extra);
  }

  warning(code: string, message: string, span: SourceSpan, extra: DiagnosticExtra = {}): void {
    this.add('warning', code, message, span, extra);
  }

  get hasErrors(): boolean {
    return hasErrors(this.items);
  }

  private add(severity: Severity, code: string, message: string, span: SourceSpan, extra: DiagnosticExtra): void {
    this.items.push({
      severity,
      code,
      message,
      file: extra.file ?? this.file,
      ...span,
      ...(extra.path === undefined ? {} : { path: extra.path.join('.') }),
      ...(extra.stepId === undefined ? {} : { stepId: extra.stepId }),
    });
  }
}

import type { Diagnostic, SourceSpan } from '@flowline/core';

/** Collects a test file's errors, each with its place, so readers only say what and where. */
export class Problems {
  readonly items: Diagnostic[] = [];

  constructor(readonly file: string) {}

  error(code: string, message: string, at: SourceSpan): void {
    this.items.push({ severity: 'error', code, message, file: this.file, ...at });
  }

  get count(): number {
    return this.items.length;
  }
}

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** One line of the results table. */
export interface Row {
  readonly benchmark: string;
  readonly result: string;
  /** The raw floor measured in the same run, when there is one. */
  readonly floor?: string;
  /** result ÷ floor, oriented so that 1.0 means "as fast as the floor". */
  readonly ratio?: number;
  readonly target: string;
  readonly met: boolean;
}

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| Benchmark | Result | Floor (same run) | Ratio | Target | Met |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.benchmark} | ${r.result} | ${r.floor ?? '—'} | ${r.ratio === undefined ? '—' : r.ratio.toFixed(2)} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in a Markdown file. */
export function writeSection(path: string, name: string, body: string): void {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start === -1 || end === -1) throw new Error(`${path} has no ${open} … ${close} section`);
  writeFileSync(path, `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`);
}

/**
 * Rows as aligned columns, two spaces apart, the first row a header; no
 * borders or colour, so the output greps, cuts and pastes cleanly.
 */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** `2026-11-24 19:35:01` (UTC): sortable and the same width on every row. */
export function shortTime(time: number | string): string {
  return new Date(time).toISOString().replace('T', ' ').slice(0, 19);
}

/** The first line of a text, cut to `max` characters: a table row stays one row. */
export function oneLine(text: string, max: number): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

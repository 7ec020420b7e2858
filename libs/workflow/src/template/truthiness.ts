/**
 * The language's one notion of truth, used by `if`, `condition` and `that`:
 * the rendered text, trimmed, is false when it is "", "false", "0", "null" or
 * "undefined", and true otherwise. Helpers (`and`, `or`, `not`, `{{#if}}`
 * through them) judge values the same way they would render.
 */
const FALSY_TEXT = new Set(['', 'false', '0', 'null', 'undefined']);

export function isTruthyText(text: string): boolean {
  return !FALSY_TEXT.has(text.trim());
}

export function isTruthyValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'string':
      return isTruthyText(value);
    default:
      // An empty list renders as "" and so is false; any other list or mapping is true.
      return Array.isArray(value) ? value.length > 0 : true;
  }
}

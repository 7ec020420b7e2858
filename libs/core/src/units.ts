/**
 * Durations and sizes as the workflow language writes them. The JSON Schema
 * carries the same patterns (schema/workflow.schema.json `$defs/duration` and
 * `$defs/size`) so editors flag a bad value as it is typed; a test keeps the two
 * in agreement.
 */

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** One or more `<number><unit>` parts, largest first by convention: `250ms`, `1h30m`, `1.5s`. */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$';
const DURATION_RE = new RegExp(DURATION_PATTERN);
const DURATION_PART_RE = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)/g;

/** Milliseconds for a duration string, or `undefined` when it is not one (or too large to be exact). */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_RE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART_RE)) {
    total += Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  }
  const ms = Math.round(total);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest exact spelling of a duration: 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = DURATION_UNITS_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

const SIZE_UNITS_BYTES = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
} as const;
/** `<number><unit>` with SI (KB = 1000) or IEC (KiB = 1024) units: `512MiB`, `2GiB`, `100KB`. */
export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$';
const SIZE_RE = /^([0-9]+(?:\.[0-9]+)?)(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/;

/** Bytes for a size string, or `undefined` when it is not one (or too large to be exact). */
export function parseSize(text: string): number | undefined {
  const match = SIZE_RE.exec(text);
  if (match === null) return undefined;
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS_BYTES[match[2] as keyof typeof SIZE_UNITS_BYTES]);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A human size for messages: 1536 → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${rounded} ${units[unit]}`;
}

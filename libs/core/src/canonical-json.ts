import { FlowlineError } from './errors.js';

/**
 * JSON text with object keys sorted (by UTF-16 code units, as RFC 8785
 * does) and no whitespace, so equal values hash equally: the basis of cache
 * keys. Otherwise it follows JSON.stringify (`toJSON` is called, undefined
 * properties are left out, undefined in arrays is null). Values JSON cannot
 * carry faithfully (NaN, Infinity, bigint, functions, symbols, a top-level
 * undefined) are refused rather than silently changed.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value, '$');
  if (text === undefined) throw notJson('$', 'undefined');
  return text;
}

function serialize(value: unknown, where: string): string | undefined {
  const json = hasToJson(value) ? value.toJSON() : value;
  switch (typeof json) {
    case 'string':
    case 'boolean':
      return JSON.stringify(json);
    case 'number':
      if (!Number.isFinite(json)) throw notJson(where, String(json));
      return JSON.stringify(json);
    case 'undefined':
      return undefined;
    case 'object':
      if (json === null) return 'null';
      return Array.isArray(json)
        ? serializeArray(json, where)
        : serializeObject(json as Record<string, unknown>, where);
    default:
      throw notJson(where, typeof json);
  }
}

function serializeArray(items: readonly unknown[], where: string): string {
  return `[${items.map((item, i) => serialize(item, `${where}[${i}]`) ?? 'null').join(',')}]`;
}

function serializeObject(object: Record<string, unknown>, where: string): string {
  const parts: string[] = [];
  for (const key of Object.keys(object).sort()) {
    const text = serialize(object[key], `${where}.${key}`);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function notJson(where: string, what: string): FlowlineError {
  return new FlowlineError('not_json', `${where} is ${what}, which JSON cannot represent`, { details: { where } });
}

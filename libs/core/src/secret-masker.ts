/** What a secret's value is replaced with wherever Flowline writes text. */
export const MASK = '***';

/**
 * Replaces declared secrets' values wherever Flowline writes: logs, outputs,
 * state, `--json`, error messages. Each value is also masked in the forms a
 * step is likely to print it in: JSON-escaped (inside a JSON document) and
 * base64 (an Authorization header, a config file). Longer forms are
 * replaced first so a value inside its own encoding is caught whole.
 * Values shorter than 4 characters are not masked: masking "1" would
 * destroy every output while hiding nothing.
 */
export class SecretMasker {
  private readonly forms: readonly string[];

  constructor(values: Iterable<string>) {
    const forms = new Set<string>();
    for (const value of values) {
      if (value.length < 4) continue;
      forms.add(value);
      forms.add(JSON.stringify(value).slice(1, -1));
      forms.add(Buffer.from(value, 'utf8').toString('base64'));
      forms.add(Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, ''));
      forms.add(Buffer.from(value, 'utf8').toString('base64url').replace(/=+$/, ''));
    }
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.forms.length > 0;
  }

  text(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(MASK);
    return out;
  }

  /** Masks every string in a JSON-like value (keys included), returning a copy only where something changed. */
  value<T>(value: T): T {
    if (!this.active) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[this.text(key)] = this.walk(item);
      return out;
    }
    return value;
  }
}

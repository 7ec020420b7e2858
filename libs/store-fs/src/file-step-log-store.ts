import { appendFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import type { StepLogStore } from '@flowline/ports';

import { hasCode, readTextIfExists } from './fs-helpers.js';
import { serialized } from './serialize.js';
import { encodeStepKey, runDir } from './state-layout.js';

/** What this process knows of the end of one log file, so headers go in only when the attempt changes. */
interface LogTail {
  readonly attempt: number | undefined;
  readonly endsWithNewline: boolean;
}

const HEADER = /^==> .* \(attempt (\d+)\) <==$/gm;
/** Step keys in the order their logs began: what `read(runId)` follows. */
const INDEX = 'index';

/**
 * Step logs as text files, `<stateDir>/runs/<run_id>/logs/<key>.log`, the key
 * encoded for the file system (`each[3]` → `each%5B3%5D.log`). Each attempt
 * opens with a header line in the style of `tail` with several files:
 * `==> build (attempt 2) <==`. The file is exactly what `read` returns.
 */
export class FileStepLogStore implements StepLogStore {
  private readonly stateDir: string;
  private readonly tails = new Map<string, LogTail>();

  constructor(stateDir: string) {
    this.stateDir = resolve(stateDir);
  }

  async append(runId: string, stepKey: string, attempt: number, text: string): Promise<void> {
    const dir = join(runDir(this.stateDir, runId), 'logs');
    const file = join(dir, `${encodeStepKey(stepKey)}.log`);
    await serialized(file, async () => {
      const tail = this.tails.get(file) ?? (await this.scan(dir, file, stepKey));
      const header =
        tail.attempt === attempt ? '' : `${tail.endsWithNewline ? '' : '\n'}${headerFor(stepKey, attempt)}`;
      const chunk = header + text;
      if (chunk !== '') await appendFile(file, chunk);
      this.tails.set(file, { attempt, endsWithNewline: chunk === '' ? tail.endsWithNewline : chunk.endsWith('\n') });
    });
  }

  /** One step key's log, or every key's in the order they began; '' when there is none. */
  async read(runId: string, stepKey?: string): Promise<string> {
    const dir = join(runDir(this.stateDir, runId), 'logs');
    if (stepKey !== undefined) return (await readTextIfExists(join(dir, `${encodeStepKey(stepKey)}.log`))) ?? '';
    const texts = await Promise.all(
      (await logFiles(dir)).map(async (name) => (await readTextIfExists(join(dir, name))) ?? ''),
    );
    return texts
      .filter((t) => t !== '')
      .map((t) => (t.endsWith('\n') ? t : `${t}\n`))
      .join('');
  }

  /** The first append to a file in this process: learn its last attempt, or start it and index its key. */
  private async scan(dir: string, file: string, stepKey: string): Promise<LogTail> {
    const text = await readTextIfExists(file);
    if (text !== undefined) {
      const last = [...text.matchAll(HEADER)].pop()?.[1];
      return {
        attempt: last === undefined ? undefined : Number(last),
        endsWithNewline: text === '' || text.endsWith('\n'),
      };
    }
    await mkdir(dir, { recursive: true });
    await serialized(join(dir, INDEX), () => appendFile(join(dir, INDEX), `${stepKey}\n`));
    return { attempt: undefined, endsWithNewline: true };
  }
}

export function headerFor(stepKey: string, attempt: number): string {
  return `==> ${stepKey} (attempt ${attempt}) <==\n`;
}

/** Log file names in the index's order, then any file the index does not name, by name. */
async function logFiles(dir: string): Promise<string[]> {
  const indexed = ((await readTextIfExists(join(dir, INDEX))) ?? '')
    .split('\n')
    .filter((key) => key !== '')
    .map((key) => `${encodeStepKey(key)}.log`);
  const present = await readdir(dir).catch((error: unknown) => {
    if (hasCode(error, 'ENOENT')) return [];
    throw error;
  });
  const logs = present.filter((name) => name.endsWith('.log'));
  const ordered = [...new Set(indexed)].filter((name) => logs.includes(name));
  return [...ordered, ...logs.filter((name) => !ordered.includes(name)).sort()];
}

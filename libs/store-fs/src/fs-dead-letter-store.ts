import { mkdir, readdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { FlowlineError } from '@flowline/core';
import {
  type DeadLetter,
  type DeadLetterFilter,
  type DeadLetterStore,
  assertDeadLetterId,
  isDeadLetterId,
} from '@flowline/ports';

import { createFile, syncDirectory } from './atomic-file.js';
import { hasCode, readTextIfExists } from './fs-helpers.js';
import { deadLettersDir } from './state-layout.js';

/**
 * The embedded dead-letter list: one JSON file per letter,
 * `<stateDir>/dead-letters/<id>.json`. A letter is created, never
 * replaced: the file appears whole (written beside it, then linked into
 * place) and a second put of the id finds it there and changes nothing, so
 * a redelivered report writes one letter. Ids are checked against the
 * `dl-<20 hex>` form before they touch a path; any other id is not found.
 */
export class FsDeadLetterStore implements DeadLetterStore {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = deadLettersDir(resolve(stateDir));
  }

  async put(letter: DeadLetter): Promise<void> {
    assertDeadLetterId(letter.id);
    const created = await mkdir(this.dir, { recursive: true });
    // A directory made just now is only durable once its parent's entry is.
    if (created !== undefined) await syncDirectory(dirname(created));
    await createFile(this.pathOf(letter.id), `${JSON.stringify(letter, null, 2)}\n`, { durable: true });
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    if (!isDeadLetterId(id)) return undefined;
    const text = await readTextIfExists(this.pathOf(id));
    return text === undefined ? undefined : decodeLetter(this.pathOf(id), id, text);
  }

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const letters = await Promise.all((await this.ids()).map((id) => this.getForList(id)));
    return letters
      .filter((l): l is DeadLetter => l !== undefined && matches(l, filter))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async delete(id: string): Promise<boolean> {
    if (!isDeadLetterId(id)) return false;
    try {
      await unlink(this.pathOf(id));
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return false;
      throw error;
    }
    await syncDirectory(this.dir);
    return true;
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** One damaged file must not hide the other letters; `get` still reports it. */
  private async getForList(id: string): Promise<DeadLetter | undefined> {
    try {
      return await this.get(id);
    } catch (error) {
      if (hasCode(error, 'state_corrupt')) return undefined;
      throw error;
    }
  }

  /** Ids of the letter files; temp files (`.<name>.tmp`) and strangers are not letters. */
  private async ids(): Promise<string[]> {
    try {
      const names = await readdir(this.dir);
      return names.map((name) => name.replace(/\.json$/, '')).filter((id) => isDeadLetterId(id));
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return [];
      throw error;
    }
  }
}

function matches(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  return (
    (filter.runId === undefined || letter.runId === filter.runId) &&
    (filter.workflow === undefined || letter.workflowName === filter.workflow) &&
    (filter.fingerprint === undefined || letter.fingerprint === filter.fingerprint)
  );
}

/** Letters are only ever created whole, so a file that is not one was damaged from outside. */
function decodeLetter(path: string, id: string, text: string): DeadLetter {
  let value: Partial<DeadLetter> | null;
  try {
    value = JSON.parse(text) as Partial<DeadLetter> | null;
  } catch {
    value = null;
  }
  if (value?.id === id && typeof value.runId === 'string' && typeof value.createdAt === 'number') {
    return value as DeadLetter;
  }
  throw new FlowlineError('state_corrupt', `${path} is not the dead letter ${id}`, { details: { path, id } });
}

import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { describeDeadLetterStoreContract } from '../../ports/src/test-support/dead-letter-store-contract.js';
import { deadLetter } from '../../ports/src/test-support/fixtures.js';
import { FsDeadLetterStore } from './fs-dead-letter-store.js';
import { tempDirs } from './test-support/temp-dirs.js';

const newDir = tempDirs('dead-letters');

describeDeadLetterStoreContract('FsDeadLetterStore', async () => new FsDeadLetterStore(await newDir()));

describe('FsDeadLetterStore on disk', () => {
  it('stores a letter as dead-letters/<id>.json, readable JSON, with no temp file left', async () => {
    const stateDir = await newDir();
    const letter = deadLetter();
    await new FsDeadLetterStore(stateDir).put(letter);
    const dir = join(stateDir, 'dead-letters');
    expect(await readdir(dir)).toEqual([`${letter.id}.json`]);
    expect(JSON.parse(await readFile(join(dir, `${letter.id}.json`), 'utf8'))).toEqual(letter);
  });

  it('never reads or removes a file outside dead-letters/, whatever the id', async () => {
    const stateDir = await newDir();
    const store = new FsDeadLetterStore(stateDir);
    const outside = join(stateDir, 'secret.json');
    await writeFile(outside, JSON.stringify(deadLetter({ id: '../secret' })));
    expect(await store.get('../secret')).toBeUndefined();
    expect(await store.delete('../secret')).toBe(false);
    expect(await readFile(outside, 'utf8')).toContain('"../secret"');
  });

  it('a damaged file is state_corrupt for get and left out of list, without hiding the others', async () => {
    const stateDir = await newDir();
    const store = new FsDeadLetterStore(stateDir);
    const [damaged, intact] = [deadLetter(), deadLetter()];
    await store.put(damaged);
    await store.put(intact);
    await writeFile(join(stateDir, 'dead-letters', `${damaged.id}.json`), '{"id": "dl-trunc');
    await expect(store.get(damaged.id)).rejects.toMatchObject({ code: 'state_corrupt' });
    expect(await store.list()).toEqual([intact]);
  });

  it("another letter's file copied under this id is state_corrupt", async () => {
    const stateDir = await newDir();
    const store = new FsDeadLetterStore(stateDir);
    const [copied, target] = [deadLetter(), deadLetter()];
    await store.put(copied);
    const text = await readFile(join(stateDir, 'dead-letters', `${copied.id}.json`), 'utf8');
    await writeFile(join(stateDir, 'dead-letters', `${target.id}.json`), text);
    await expect(store.get(target.id)).rejects.toMatchObject({ code: 'state_corrupt' });
  });

  it('ignores temp files and strangers in the directory', async () => {
    const stateDir = await newDir();
    const store = new FsDeadLetterStore(stateDir);
    const letter = deadLetter();
    await store.put(letter);
    const dir = join(stateDir, 'dead-letters');
    await writeFile(join(dir, `.${letter.id}.json.123.abc.tmp`), 'half');
    await writeFile(join(dir, 'README'), 'not a letter');
    await mkdir(join(dir, 'dl-0000000000000000000a'));
    expect(await store.list()).toEqual([letter]);
  });
});

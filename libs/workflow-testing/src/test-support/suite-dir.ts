import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory of workflow and test files, written from text. */
export interface SuiteDir {
  readonly dir: string;
  path(name: string): string;
  write(name: string, text: string): Promise<string>;
  read(name: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function suiteDir(files: Readonly<Record<string, string>> = {}): Promise<SuiteDir> {
  const dir = await mkdtemp(join(tmpdir(), 'flowline-suite-'));
  const suite: SuiteDir = {
    dir,
    path: (name) => join(dir, name),
    async write(name, text) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), text);
      return join(dir, name);
    },
    read: (name) => readFile(join(dir, name), 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  for (const [name, text] of Object.entries(files)) await suite.write(name, text);
  return suite;
}

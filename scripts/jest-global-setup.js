// Tests import TypeScript source directly, but the CLI tests also run the
// installed `flowline` binary, which runs compiled code: build it first.
// `tsc -b` is incremental, so this costs about a second when nothing changed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildOnce() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

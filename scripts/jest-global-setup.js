// Tests import TypeScript source directly, but the CLI tests also run the
// installed `flowline` binary, which runs compiled code: build it first.
// `tsc -b` is incremental, so this costs about a second when nothing changed.
// A failed build only warns: `npm test` builds (and fails) before Jest runs,
// and a type error in one package must not stop the tests of another.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildOnce() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    console.warn('jest: the build failed; tests of the compiled CLI may run stale code');
  }
}

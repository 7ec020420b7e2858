import { spawn } from 'node:child_process';

import { FlowlineError } from '@flowline/core';

// getfattr takes paths as arguments; stay far below the kernel's argument limit.
const PATHS_PER_CALL = 500;

/**
 * Which of `dirs` (relative to `upperDir`) overlayfs marked opaque: the step
 * deleted the lower directory and made a new one, so nothing below it comes
 * from the lower layer. Node cannot read extended attributes, so this asks
 * `getfattr`, once per batch, and only for directories the lower layer also
 * has. Only `trusted.*` is read (we run as root): a step can set `user.*`
 * attributes on its own files, and must not be able to fake opaqueness.
 */
export async function opaqueDirs(upperDir: string, dirs: readonly string[]): Promise<Set<string>> {
  const opaque = new Set<string>();
  for (let i = 0; i < dirs.length; i += PATHS_PER_CALL) {
    const output = await runGetfattr(upperDir, dirs.slice(i, i + PATHS_PER_CALL));
    for (const path of parseOpaque(output)) opaque.add(path);
  }
  return opaque;
}

/**
 * getfattr's dump: `# file: NAME` then `name="value"` lines. Names escape
 * backslashes and control characters as `\ooo` octal bytes; the rest is raw
 * bytes (UTF-8), hence the latin1 round trip.
 */
export function parseOpaque(output: Buffer): string[] {
  const found: string[] = [];
  let file: string | undefined;
  for (const line of output.toString('latin1').split('\n')) {
    if (line.startsWith('# file: ')) file = unescapeName(line.slice('# file: '.length));
    else if (line === 'trusted.overlay.opaque="y"' && file !== undefined) found.push(file);
  }
  return found;
}

function unescapeName(escaped: string): string {
  const bytes = escaped.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function runGetfattr(cwd: string, paths: readonly string[]): Promise<Buffer> {
  const args = ['--absolute-names', '-e', 'text', '-d', '-m', '^trusted\\.overlay\\.opaque$', '--', ...paths];
  return new Promise((resolve, reject) => {
    const child = spawn('getfattr', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(captureFailed(`cannot run getfattr: ${error.message}`, error)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(captureFailed(`getfattr exited with ${code}: ${Buffer.concat(err).toString().trim()}`));
    });
  });
}

function captureFailed(message: string, cause?: unknown): FlowlineError {
  return new FlowlineError('workspace_capture_failed', message, { cause });
}

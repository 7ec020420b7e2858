import { readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Where Claude Code looks for a directory's project instructions. */
const MEMORY_FILES = ['CLAUDE.md', join('.claude', 'CLAUDE.md')];

/**
 * The workspace's CLAUDE.md files, from the workspace root down to the
 * step's working directory, as text to append to the system prompt. The
 * CLI would load them itself, but only together with the project's
 * `.claude/settings.json`, whose hooks and permission rules a repository
 * could use to escape its security profile; so the executor turns project
 * settings off and passes the instructions on itself. A file that is a
 * symlink leading out of the workspace is skipped: its content would go to
 * the model endpoint.
 */
export async function projectMemory(workspace: string, cwd: string): Promise<string | undefined> {
  const root = await realpath(workspace);
  const sections: string[] = [];
  for (const dir of directoriesDown(workspace, cwd)) {
    for (const name of MEMORY_FILES) {
      const content = await readInside(root, join(dir, name));
      if (content !== undefined) sections.push(`Contents of ${relative(workspace, join(dir, name))}:\n\n${content}`);
    }
  }
  if (sections.length === 0) return undefined;
  return `# Project instructions (CLAUDE.md, checked into the workspace)\n\n${sections.join('\n\n')}`;
}

function directoriesDown(workspace: string, cwd: string): string[] {
  const dirs = [workspace];
  const parts = relative(workspace, cwd)
    .split(sep)
    .filter((part) => part !== '');
  for (const part of parts) dirs.push(join(dirs.at(-1)!, part));
  return dirs;
}

async function readInside(root: string, path: string): Promise<string | undefined> {
  try {
    const real = await realpath(path);
    const inside = relative(root, real);
    if (inside === '..' || inside.startsWith(`..${sep}`)) return undefined;
    return await readFile(real, 'utf8');
  } catch {
    return undefined; // Absent (the usual case) or unreadable: nothing to add.
  }
}

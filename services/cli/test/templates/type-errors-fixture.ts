import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AgentEdit, EditPlanner } from '../support/file-editing-agent.js';
import { REPO, REPO_NODE_MODULES } from '../support/repository.js';

/** The reference workflow and its fixture: a small TypeScript project with type errors, and the same files fixed. */
export const WORKFLOW = join(REPO, 'templates/fix-type-errors.yaml');
export const FIXTURE = join(REPO, 'templates/fixtures/ts-type-errors');
const FIXED = join(REPO, 'templates/fixtures/ts-type-errors-fixed');
const TSC = join(REPO, 'node_modules/.bin/tsc');

/** The fixture's files that have type errors (the others must come out of a run untouched). */
export const BROKEN_FILES = ['src/inventory.ts', 'src/orders.ts', 'src/report.ts'] as const;

/**
 * A fresh copy of the fixture to run on, with `node_modules` linked to the
 * repository's (the fixture ships none): the workflow uses the project's own
 * compiler, as it would in a real repository.
 */
export async function fixtureCopy(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'flowline-type-errors-'));
  await cp(FIXTURE, workspace, { recursive: true });
  await symlink(REPO_NODE_MODULES, join(workspace, 'node_modules'));
  return workspace;
}

export interface TscResult {
  readonly code: number | null;
  /** The error lines (`src/a.ts(1,2): error TS2322: …`), details left out. */
  readonly errors: string[];
}

/** Runs the compiler on a project ourselves, outside Flowline, to judge a run by what tsc says. */
export function typecheck(project: string): Promise<TscResult> {
  const child = spawn(TSC, ['--noEmit', '--pretty', 'false', '-p', project], { cwd: project });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, errors: output.split('\n').filter((line) => line.includes(': error TS')) }),
    );
  });
}

/** The correct, fixed content of a fixture file (`src/orders.ts`). */
export function fixedContent(file: string): Promise<string> {
  return readFile(join(FIXED, file), 'utf8');
}

/** The file an agent was asked to fix, as the workflow's prompt names it. */
export function fileOfPrompt(prompt: string): string | undefined {
  return /Fix the TypeScript compile errors in `([^`]+)`/.exec(prompt)?.[1];
}

/**
 * An agent that writes the fixed version of the file its prompt names, for
 * the files in `fixes` only (an agent that gets the others wrong answers
 * without editing). Every prompt it sees is kept in `prompts`, by file.
 */
export async function fixingPlanner(
  fixes: readonly string[],
): Promise<{ plan: EditPlanner; prompts: Map<string, string> }> {
  const contents = new Map<string, string>();
  for (const file of fixes) contents.set(file, await fixedContent(file));
  const prompts = new Map<string, string>();
  const plan = (prompt: string): AgentEdit[] => {
    const file = fileOfPrompt(prompt);
    if (file === undefined) return [];
    prompts.set(file, prompt);
    const content = contents.get(file);
    return content === undefined ? [] : [{ path: file, content }];
  };
  return { plan, prompts };
}

/** Every file of a directory (node_modules left out) with the SHA-256 of its content, to see what a run changed. */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || path.includes('node_modules')) continue;
    files.set(path.slice(root.length + 1), sha256(await readFile(path)));
  }
  return files;
}

/** The paths whose content differs between two snapshots, or that only one has. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

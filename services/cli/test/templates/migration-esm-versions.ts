import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { load } from 'js-yaml';

import type { AgentEdit, EditPlanner } from '../support/file-editing-agent.js';

const SUITE = fileURLToPath(new URL('../../../../templates/code-migration.test.yaml', import.meta.url));
const REFERENCE_CASE = "migrates every file; the project's tests pass as ES modules";
const WORKSPACE = '{{workspace}}/';

interface SuiteShape {
  cases?: { name?: string; mocks?: { migrate?: { items?: { transcript?: unknown[] }[] } } }[];
}

interface WriteBlock {
  tool_use?: { name?: string; input?: { file_path?: string; content?: string } };
}

/**
 * The ES module version of every file of templates/fixtures/cjs-project
 * (workspace-relative path → text), taken from the reference case of the
 * workflow's own test suite: one copy of the answers, which that case proves
 * right by running the fixture's tests on them.
 */
export function esmVersions(): Map<string, string> {
  const suite = load(readFileSync(SUITE, 'utf8')) as SuiteShape;
  const reference = suite.cases?.find((c) => c.name === REFERENCE_CASE);
  const versions = new Map<string, string>();
  for (const item of reference?.mocks?.migrate?.items ?? []) {
    for (const block of (item.transcript ?? []) as WriteBlock[]) {
      const input = block.tool_use?.name === 'Write' ? block.tool_use.input : undefined;
      if (input?.file_path?.startsWith(WORKSPACE) && typeof input.content === 'string')
        versions.set(input.file_path.slice(WORKSPACE.length), input.content);
    }
  }
  if (versions.size === 0) throw new Error(`${SUITE}: no Write of an ES module version in case "${REFERENCE_CASE}"`);
  return versions;
}

/** The file a migrate agent was given: its prompt opens with "Convert the file X from CommonJS". */
export function fileNamedIn(prompt: string): string | undefined {
  return /Convert the file (\S+) from CommonJS/.exec(prompt)?.[1];
}

/** A planner for the scripted agent: each agent writes its file's version from `versions` (nothing for a file it lacks). */
export function migrationPlanner(versions: ReadonlyMap<string, string>): EditPlanner {
  return (prompt): AgentEdit[] => {
    const file = fileNamedIn(prompt);
    const content = file === undefined ? undefined : versions.get(file);
    return file === undefined || content === undefined ? [] : [{ path: file, content }];
  };
}

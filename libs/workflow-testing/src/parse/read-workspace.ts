import { resolve } from 'node:path';

import { workspacePathProblem } from '@flowline/workflow';

import type { WorkspaceSpec } from '../spec/test-spec.js';
import type { NodeReader } from './node-reader.js';
import type { YamlNode } from './positioned-yaml.js';

const WORKSPACE_FIELDS = ['from', 'link'] as const;

/**
 * `workspace: DIR` or `workspace: { from: DIR, link: { PATH: TARGET } }`.
 * DIR and TARGET are relative to the test file's directory `baseDir`; PATH
 * is where the symlink goes in each case's copy.
 */
export function readWorkspace(
  node: YamlNode,
  reader: NodeReader,
  baseDir: string,
  what: string,
): WorkspaceSpec | undefined {
  if (node.kind === 'scalar') {
    const from = reader.string(node, what);
    return from === undefined ? undefined : { from: resolve(baseDir, from), links: [], at: node.at };
  }
  const fields = reader.fields(node, WORKSPACE_FIELDS, what);
  if (fields === undefined) return undefined;
  const fromNode = fields.get('from')?.value;
  const from = fromNode === undefined ? undefined : reader.string(fromNode, `${what}.from`);
  const linkNode = fields.get('link')?.value;
  const links = linkNode === undefined ? [] : readLinks(linkNode, reader, baseDir, `${what}.link`);
  if ((fromNode !== undefined && from === undefined) || links === undefined) return undefined;
  return { from: from === undefined ? undefined : resolve(baseDir, from), links, at: node.at };
}

function readLinks(
  node: YamlNode,
  reader: NodeReader,
  baseDir: string,
  what: string,
): WorkspaceSpec['links'] | undefined {
  const map = reader.map(node, what);
  if (map === undefined) return undefined;
  const links: WorkspaceSpec['links'][number][] = [];
  for (const entry of map.entries) {
    const problem = workspacePathProblem(entry.key);
    if (problem !== undefined) reader.problems.error('bad-path', `${what}: "${entry.key}" ${problem}`, entry.keyAt);
    const target = reader.string(entry.value, `${what}."${entry.key}"`);
    if (problem !== undefined || target === undefined) return undefined;
    links.push({ path: entry.key, target: resolve(baseDir, target), at: entry.value.at });
  }
  return links;
}

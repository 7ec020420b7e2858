#!/usr/bin/env node
// Architecture check, run by `npm run lint`:
//  1. every package imported by a package's source is declared in its
//     package.json (so the @flowline/* graph in package.json files is the
//     real one, and reviewable);
//  2. the declared @flowline/* graph has no cycle;
//  3. vendor SDKs appear only in the adapter built to hold them (the engine
//     never imports bullmq, ioredis or @aws-sdk);
//  4. no import cycle between files inside a package.
// Tests may also use the root's devDependencies, and their package's own
// devDependencies (adapters a test wires in, which the package must not import).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const VENDOR_HOMES = {
  bullmq: ['@flowline/queue-bullmq'],
  ioredis: ['@flowline/queue-bullmq'],
  '@aws-sdk/client-dynamodb': ['@flowline/state-dynamodb'],
  '@aws-sdk/client-s3': ['@flowline/cache-s3'],
};

const rootPackage = readJson(join(root, 'package.json'));
const rootDev = new Set(Object.keys(rootPackage.devDependencies ?? {}));
const builtins = new Set(builtinModules);
const problems = [];
const packages = rootPackage.workspaces.map((dir) => ({ dir, manifest: readJson(join(root, dir, 'package.json')) }));

for (const { dir, manifest } of packages) {
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  const testOnly = new Set(Object.keys(manifest.devDependencies ?? {}));
  const files = sourceFiles(join(root, dir, 'src'));
  const fileGraph = new Map();
  for (const file of files) {
    const isTest = /\.test\.ts$|\/test-support\//.test(file);
    const edges = [];
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        edges.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        continue;
      }
      const name = packageName(specifier);
      if (specifier.startsWith('node:') || builtins.has(name)) continue;
      if (!declared.has(name) && !(isTest && (rootDev.has(name) || testOnly.has(name)))) {
        problems.push(`${rel(file)} imports "${name}", which ${manifest.name}'s package.json does not declare`);
      }
      const homes = Object.entries(VENDOR_HOMES).find(([vendor]) => name === vendor)?.[1];
      if (homes && !homes.includes(manifest.name)) {
        problems.push(
          `${rel(file)} imports "${name}"; only ${homes.join(', ')} may (keep vendor SDKs behind their port)`,
        );
      }
    }
    if (!isTest) fileGraph.set(file, edges);
  }
  for (const cycle of cyclesOf(fileGraph))
    problems.push(`import cycle in ${manifest.name}: ${cycle.map(rel).join(' → ')}`);
}

const packageGraph = new Map(
  packages.map(({ manifest }) => [
    manifest.name,
    Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@flowline/')),
  ]),
);
for (const cycle of cyclesOf(packageGraph)) problems.push(`package dependency cycle: ${cycle.join(' → ')}`);

if (problems.length > 0) {
  for (const p of problems) console.error(`check-deps: ${p}`);
  process.exit(1);
}
console.log(`check-deps: ${packages.length} packages, dependencies declared, no cycles`);

function importsOf(text) {
  const found = [];
  const patterns = [
    /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** One cycle per strongly connected component, by depth-first search with an explicit stack. */
function cyclesOf(graph) {
  const state = new Map();
  const cycles = [];
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack = [{ node: start, next: 0 }];
    const path = [start];
    state.set(start, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++];
        if (!graph.has(to)) continue;
        if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to]);
        else if (!state.has(to)) {
          state.set(to, 'open');
          stack.push({ node: to, next: 0 });
          path.push(to);
        }
        continue;
      }
      state.set(frame.node, 'done');
      stack.pop();
      path.pop();
    }
  }
  return cycles;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function rel(path) {
  return path.startsWith(root) ? relative(root, path) : path;
}

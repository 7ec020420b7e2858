/**
 * The benchmark's 10-step DAG: `assert` and `template` steps only, which
 * run inside the worker's process, so no step spawns a process and what is
 * measured is orchestration, not `fork`. A three-way fan-out from `start`,
 * a fan-in at `join`, and three templates that write files, so change sets
 * travel through the blob store (S3) and later steps rebuild their
 * workspace from them, as real steps do.
 */
export const BENCH_WORKFLOW = `version: 1
name: bench-ten
steps:
  - { id: start, type: assert, that: ["{{eq run.id run.id}}"] }
  - { id: a1, type: template, needs: [start], template: "a {{run.id}}", output: a.txt }
  - { id: b1, type: assert, needs: [start], that: ["{{eq steps.start.status 'succeeded'}}"] }
  - { id: c1, type: assert, needs: [start], that: ["{{eq steps.start.status 'succeeded'}}"] }
  - { id: a2, type: assert, needs: [a1], that: ["{{eq steps.a1.status 'succeeded'}}"] }
  - { id: b2, type: template, needs: [b1], template: "b {{run.id}}", output: b.txt }
  - { id: c2, type: assert, needs: [c1], that: ["{{eq steps.c1.status 'succeeded'}}"] }
  - { id: join, type: assert, needs: [a2, b2, c2], that: ["{{eq steps.b2.status 'succeeded'}}"] }
  - { id: report, type: template, needs: [join], template: "joined {{run.id}}", output: report.txt }
  - { id: done, type: assert, needs: [report], that: ["{{eq steps.report.status 'succeeded'}}"] }
`;

/** Each step's dependencies, as written above. */
export const BENCH_NEEDS: Readonly<Record<string, readonly string[]>> = {
  start: [],
  a1: ['start'],
  b1: ['start'],
  c1: ['start'],
  a2: ['a1'],
  b2: ['b1'],
  c2: ['c1'],
  join: ['a2', 'b2', 'c2'],
  report: ['join'],
  done: ['report'],
};

export const BENCH_STEPS = Object.keys(BENCH_NEEDS).length;

/** Each step's type, which names its queue. */
export const BENCH_TYPES: Readonly<Record<string, 'assert' | 'template'>> = {
  start: 'assert',
  a1: 'template',
  b1: 'assert',
  c1: 'assert',
  a2: 'assert',
  b2: 'template',
  c2: 'assert',
  join: 'assert',
  report: 'template',
  done: 'assert',
};

export const benchBundle = () => ({ file: 'bench-ten.yaml', text: BENCH_WORKFLOW, templateFiles: {} });

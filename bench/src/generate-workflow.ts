/**
 * A large, realistic workflow for the compile benchmark: mostly shell steps,
 * some asserts, templates, conditionals and webhooks; each step needs one to
 * three of the fifty steps before it and reads their outputs in templates,
 * the way real pipelines hand values along. Seeded, so every run compiles
 * the same text.
 */
export function generateWorkflow(steps: number, seed = 42): string {
  const random = mulberry32(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const lines = [
    'version: 1',
    `name: generated-${steps}`,
    'inputs:',
    '  repo: { type: string, default: acme/app, description: Repository }',
    '  target: { type: number, default: 80, description: Goal }',
    'secrets: [API_TOKEN]',
    'defaults: { timeout: 10m, retry: { max_attempts: 2, initial_delay: 1s } }',
    'steps:',
  ];
  const branchTargets = new Set<number>();
  for (let i = 0; i < steps; i++) {
    const needs = i === 0 ? [] : [...new Set(Array.from({ length: 1 + pick(3) }, () => Math.max(0, i - 1 - pick(50))))];
    const from = needs[0];
    const read = from === undefined ? '{{inputs.repo}}' : `{{steps.s${from}.outputs.value}}`;
    lines.push(`  - id: s${i}`);
    const kind = branchTargets.has(i) ? 0 : pick(20);
    if (kind === 19 && i + 1 < steps) {
      lines.push(
        '    type: conditional',
        // `default`: the step read may be a conditional, which has no `value` output.
        `    condition: "{{gte (default ${read.slice(2, -2)} 100) inputs.target}}"`,
        `    then: [s${i + 1}]`,
      );
      branchTargets.add(i + 1);
    } else if (kind === 18) {
      lines.push('    type: assert', `    that: "{{ne ${read.slice(2, -2)} 0}}"`);
    } else if (kind === 17) {
      lines.push('    type: template', `    template: "step ${i} saw ${read}"`, `    output: out/s${i}.md`);
    } else if (kind === 16) {
      lines.push('    type: webhook', '    url: https://hooks.example.com/x', `    body: { v: "${read}" }`);
    } else {
      lines.push(
        '    type: shell',
        `    env: { V: "${read}" }`,
        `    run: make t${i} V="$V" && echo value=${i} >> "$FLOWLINE_OUTPUT"`,
      );
      if (i % 7 === 0) lines.push('    cache: { enabled: true, files: ["src/**"] }');
    }
    if (needs.length > 0) lines.push(`    needs: [${needs.map((n) => `s${n}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A small, good, seedable PRNG (public domain). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { type TemplateContext, compileBare, compileTemplate, render } from '@flowline/workflow';
import Handlebars from 'handlebars';

import { throughput } from '../measure.js';
import type { Row } from '../report.js';

/** A realistic prompt-sized template: eight substitutions, two through helpers. */
const SOURCE =
  'Coverage of {{inputs.repo}} is {{steps.measure.outputs.total.lines.pct}}% ' +
  '(target {{inputs.target}}%, run {{run.id}}, attempt {{step.attempt}}). ' +
  'Files: {{join steps.measure.outputs.files ", "}}. Owner: {{default inputs.owner "platform"}}. ' +
  'Workflow {{workflow.name}}.';
const SUBSTITUTIONS = 8;
const TARGET_PER_SECOND = 1_000_000;
const TARGET_RATIO = 0.8;

const context: TemplateContext = {
  inputs: { repo: 'acme/app', target: 80 },
  env: {},
  secrets: {},
  steps: { measure: { status: 'succeeded', outputs: { total: { lines: { pct: 83.4 } }, files: ['a.ts', 'b.ts'] } } },
  run: { id: 'run-1' },
  workflow: { name: 'increase-test-coverage' },
  step: { id: 'write', attempt: 1 },
};

/**
 * Substitutions per second through `render()`, against the floor: the bare
 * precompiled Handlebars function with the same options, called directly.
 * The ratio shows what Flowline's wrapper costs. A row for Handlebars with
 * its default options (no strict mode, HTML escaping) shows what strict
 * mode costs — for information.
 */
export function templateRenderSuite(): Row[] {
  const compiled = compileTemplate(SOURCE);
  const bare = compileBare(SOURCE);
  const expected = bare(context);
  if (render(compiled, context) !== expected) throw new Error('render() and the bare template disagree');
  const loose = Handlebars.create();
  loose.registerHelper('join', (list: string[], sep: string) => list.join(sep));
  loose.registerHelper('default', (v: unknown, d: unknown) => v ?? d);
  const defaults = loose.compile(SOURCE);

  const ours = throughput(() => render(compiled, context)) * SUBSTITUTIONS;
  const floor = throughput(() => bare(context)) * SUBSTITUTIONS;
  const plain = throughput(() => defaults(context)) * SUBSTITUTIONS;
  const ratio = ours / floor;
  const perSecond = (n: number) => `${(n / 1e6).toFixed(2)} M subst/s`;
  return [
    {
      benchmark: `template render() (${SUBSTITUTIONS} substitutions per render)`,
      result: perSecond(ours),
      floor: `${perSecond(floor)} (bare precompiled Handlebars, same options)`,
      ratio,
      target: `≥ 1 M subst/s and ratio ≥ ${TARGET_RATIO}`,
      met: ours >= TARGET_PER_SECOND && ratio >= TARGET_RATIO,
    },
    {
      benchmark: 'for reference: Handlebars with default options (not strict, HTML-escaping)',
      result: perSecond(plain),
      target: 'reported',
      met: true,
    },
  ];
}

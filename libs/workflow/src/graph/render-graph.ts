import { type StepType, assertNever } from '@flowline/core';

import type { CompiledStep, CompiledWorkflow } from '../compile/compiled-workflow.js';

export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** An edge as drawn: conditionals label theirs with the branch. */
interface DrawnEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string | undefined;
}

/** The workflow's DAG as Mermaid or Graphviz source, steps in topological order. */
export function renderGraph(workflow: CompiledWorkflow, format: GraphFormat): string {
  const steps = workflow.dag.order.map((id) => workflow.steps.get(id)!);
  const edges = drawnEdges(steps);
  switch (format) {
    case 'mermaid':
      return renderMermaid(steps, edges);
    case 'dot':
      return renderDot(workflow.name, steps, edges);
    default:
      return assertNever(format, 'graph format');
  }
}

function drawnEdges(steps: readonly CompiledStep[]): DrawnEdge[] {
  return steps.flatMap((step) =>
    step.needs.map((from) => ({ from, to: step.id, label: step.branches.find((b) => b.conditional === from)?.branch })),
  );
}

/** Two lines: the id (and display name), then the type and what modifies how it runs. */
function label(step: CompiledStep): [string, string] {
  const title = step.name === step.id ? step.id : `${step.id}: ${step.name}`;
  const notes: string[] = [step.type];
  if (step.forEach !== undefined) notes.push('for each');
  if (step.triggerRule !== 'all_success') notes.push(step.triggerRule);
  if (step.if !== undefined) notes.push('if');
  if (step.continueOnError) notes.push('continue on error');
  return [title, notes.join(' · ')];
}

const MERMAID_SHAPES: Record<StepType, [string, string]> = {
  shell: ['[', ']'],
  claude_code: ['([', '])'],
  assert: ['{{', '}}'],
  template: ['[/', '/]'],
  webhook: ['>', ']'],
  conditional: ['{', '}'],
};

function renderMermaid(steps: readonly CompiledStep[], edges: readonly DrawnEdge[]): string {
  // Node ids are positional (`s0`, `s1`…): step ids may hold characters Mermaid reads as syntax.
  const nodeId = new Map(steps.map((step, i) => [step.id, `s${i}`]));
  const lines = ['flowchart TD'];
  for (const step of steps) {
    const [open, close] = MERMAID_SHAPES[step.type];
    lines.push(`  ${nodeId.get(step.id)!}${open}"${label(step).map(mermaidText).join('<br/>')}"${close}`);
  }
  for (const edge of edges) {
    const arrow = edge.label === undefined ? '-->' : `-- ${edge.label} -->`;
    lines.push(`  ${nodeId.get(edge.from)!} ${arrow} ${nodeId.get(edge.to)!}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid reads `"` and `#` specially inside labels; its entity codes keep them literal. */
function mermaidText(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

const DOT_SHAPES: Record<StepType, string> = {
  shell: 'box',
  claude_code: 'box, style=rounded',
  assert: 'hexagon',
  template: 'parallelogram',
  webhook: 'cds',
  conditional: 'diamond',
};

function renderDot(name: string, steps: readonly CompiledStep[], edges: readonly DrawnEdge[]): string {
  const lines = [`digraph ${dotString(name)} {`, '  rankdir=TB;', '  node [fontname="Helvetica"];'];
  for (const step of steps) {
    lines.push(`  ${dotString(step.id)} [label=${dotString(label(step).join('\n'))}, shape=${DOT_SHAPES[step.type]}];`);
  }
  for (const edge of edges) {
    const attributes = edge.label === undefined ? '' : ` [label=${dotString(edge.label)}]`;
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${attributes};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

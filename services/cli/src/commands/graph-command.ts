import { FlowlineError, formatDiagnostic } from '@flowline/core';
import { GRAPH_FORMATS, type GraphFormat, loadWorkflowFile, renderGraph } from '@flowline/workflow';

import { EXIT, UsageError } from '../cli-io.js';
import type { Command } from '../command.js';

export const graphCommand: Command = {
  name: 'graph',
  summary: "Print a workflow's DAG as Mermaid or Graphviz source",
  usage: 'flowline graph FILE [--format mermaid|dot]',
  details: 'Conditional edges are labelled with their branch. Pipe dot output to `dot -Tsvg`.',
  options: { format: { type: 'string', short: 'f', default: 'mermaid' } },
  optionHelp: { format: 'mermaid (default) or dot' },
  positionals: [1, 1],
  async run(args, io) {
    const format = args.values['format'];
    if (!(GRAPH_FORMATS as readonly unknown[]).includes(format)) {
      throw new UsageError(`--format must be ${GRAPH_FORMATS.join(' or ')}, got "${String(format)}"`, 'graph');
    }
    const file = args.positionals[0]!;
    const result = await loadWorkflowFile(file).catch((error: unknown) => {
      if (error instanceof FlowlineError && error.code === 'file_unreadable')
        throw new UsageError(error.message, 'graph');
      throw error;
    });
    for (const d of result.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!result.ok) return EXIT.failed;
    io.stdout.write(renderGraph(result.workflow, format as GraphFormat));
    return EXIT.ok;
  },
};

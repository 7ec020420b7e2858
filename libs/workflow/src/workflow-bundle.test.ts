import { resolve } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { loadWorkflowFile } from './load-workflow.js';
import { loadWorkflowBundle, readWorkflowBundle } from './workflow-bundle.js';

describe('workflow bundles', () => {
  it('carry the template files a workflow reads, and compile to the same digest as the file', async () => {
    const path = resolve('templates/examples/fan-out.yaml');
    const bundle = await readWorkflowBundle(path);
    expect(Object.keys(bundle.templateFiles)).toEqual(['fan-out-report.md.hbs']);
    const fromFile = await loadWorkflowFile(path);
    const fromBundle = loadWorkflowBundle(JSON.parse(JSON.stringify(bundle)) as typeof bundle);
    expect(fromBundle.ok && fromFile.ok && fromBundle.workflow.digest === fromFile.workflow.digest).toBe(true);
  });
});

import { loadWorkflowBundle } from '@flowline/workflow';

import { badRequest } from './api-error.js';
import type { ApiRoute } from './api-route.js';
import { bodyObject, optionalString, optionalStringMap } from './request-fields.js';
import { diagnosticJson, inlineBundle } from './workflow-request.js';

/** Workflow checks that store nothing. */
export function workflowRoutes(): ApiRoute[] {
  return [
    {
      method: 'post',
      path: '/v1/workflows/validate',
      operationId: 'validateWorkflow',
      summary: 'Validate workflow YAML (and the template files it reads) as `flowline validate` does',
      tag: 'workflows',
      auth: true,
      requestBody: 'ValidateRequest',
      responses: {
        '200': { description: 'Whether it is valid, and every diagnostic', schema: 'ValidateResult' },
        '400': { description: 'The request is malformed (no "yaml")', schema: 'Error' },
      },
      handler: (req, res) => {
        const body = bodyObject(req, ['yaml', 'files']);
        const yaml = optionalString(body, 'yaml');
        if (yaml === undefined) throw badRequest('"yaml" (the workflow text) is required');
        const result = loadWorkflowBundle(inlineBundle(yaml, optionalStringMap(body, 'files') ?? {}));
        // An invalid workflow is the answer here, not an error of the request: 200 either way.
        res.json({ valid: result.ok, diagnostics: result.diagnostics.map(diagnosticJson) });
      },
    },
  ];
}

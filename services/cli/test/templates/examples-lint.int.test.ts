import { readdirSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { runFlowline } from '../support/flowline-process.js';

const EXAMPLES = 'templates/examples';

/**
 * The examples are what a newcomer copies first, so they must pass the
 * strictest lint a user can run: a warning in one would be copied into every
 * workflow started from it. Run on the directory, as the docs show it.
 */
describe('the example workflows', () => {
  it('are lint-clean under --strict: exit 0 and no problems in any of them', async () => {
    const workflows = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml'));
    const result = await runFlowline(['lint', '--strict', `${EXAMPLES}/`]);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: `no problems in ${workflows.length} files\n`,
      stderr: '',
    });
  }, 60_000);
});

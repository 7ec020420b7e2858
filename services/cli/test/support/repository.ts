import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This repository's root. */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The repository's node_modules, which end-to-end tests link into fixture
 * copies (jest, tsc). The checkout may sit under /tmp, which the sandbox
 * hides behind a private /tmp: `flowline run` is told it may read it.
 */
export const REPO_NODE_MODULES = join(REPO, 'node_modules');

export const READ_REPO_NODE_MODULES = { FLOWLINE_SANDBOX_READABLE: REPO_NODE_MODULES } as const;

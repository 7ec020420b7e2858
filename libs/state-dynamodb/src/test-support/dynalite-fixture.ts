import { afterAll, beforeAll } from '@jest/globals';

import { type DynaliteServer, startDynalite } from '../../../test-servers/src/dynalite.js';
import { type DynamoDbState, openDynamoDbState } from '../dynamodb-state.js';
import type { DynamoDbStateOptions } from '../dynamodb-state-options.js';

export interface DynaliteFixture {
  /** The server, once `beforeAll` has run. */
  server(): DynaliteServer;
  /** Options for the server and a table name no other test uses (init off; pass `{ init: true }`). */
  options(overrides?: Partial<DynamoDbStateOptions>): DynamoDbStateOptions;
  /** A new table, created (init), with both stores on it, and the options used; closed after the file's tests. */
  freshState(overrides?: Partial<DynamoDbStateOptions>): Promise<TestState>;
}

export interface TestState extends DynamoDbState {
  readonly options: DynamoDbStateOptions;
}

let tables = 0;

/** One dynalite process for the test file; each test makes its own tables, so tests never see each other's runs. */
export function useDynalite(): DynaliteFixture {
  let server: DynaliteServer | undefined;
  const opened: DynamoDbState[] = [];
  beforeAll(async () => {
    server = await startDynalite();
  });
  afterAll(async () => {
    for (const state of opened.splice(0)) state.close();
    await server?.stop();
  });
  const fixture: DynaliteFixture = {
    server: () => {
      if (server === undefined) throw new Error('dynalite is not started yet (use it inside a test)');
      return server;
    },
    options: (overrides = {}) => {
      const { endpoint, region, credentials } = fixture.server();
      tables += 1;
      return { tableName: `flowline-test-${process.pid}-${tables}`, endpoint, region, credentials, ...overrides };
    },
    freshState: async (overrides = {}) => {
      const options = fixture.options({ init: true, ...overrides });
      const state = await openDynamoDbState(options);
      opened.push(state);
      return { ...state, options };
    },
  };
  return fixture;
}

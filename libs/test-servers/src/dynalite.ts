import { createRequire } from 'node:module';

import {
  ChildServer,
  deletingOnFailure,
  launchNodeServer,
  type ServerControls,
  type ServerProcess,
  temporaryDirectory,
} from './child-server.js';

export interface DynaliteOptions {
  /**
   * Keep the tables in LevelDB files in a temporary directory, so they
   * survive `kill()` + `restart()`. Default false: in memory, for speed;
   * a restart then starts empty.
   */
  readonly persistent?: boolean;
  /** The item size limit dynalite enforces (DynamoDB's is 400). */
  readonly maxItemSizeKb?: number;
}

/**
 * A real DynamoDB API server (dynalite) in its own process on 127.0.0.1, so
 * a test can kill it, freeze it, or restart it. Tables turn ACTIVE at once
 * (`createTableMs` 0). What dynalite lacks: TransactWriteItems and
 * TransactGetItems, UpdateTimeToLive (it never expires items), and
 * `ReturnValuesOnConditionCheckFailure`.
 */
export interface DynaliteServer extends ServerControls {
  /** `http://127.0.0.1:<port>`: the SDK's `endpoint`. */
  readonly endpoint: string;
  /** The same as `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** Any region and key pair will do; these are the ones tests pass. */
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The LevelDB directory when `persistent`, else undefined. */
  readonly directory: string | undefined;
}

interface LaunchConfig {
  readonly port: number;
  readonly directory: string | undefined;
  readonly maxItemSizeKb: number;
}

/** The child: dynalite on 127.0.0.1 (its command line cannot take port 0), printing the port it got. */
const CHILD_SCRIPT = `
const config = JSON.parse(process.argv[1]);
const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, maxItemSizeKb: config.maxItemSizeKb };
if (config.directory) options.path = config.directory;
const server = require(config.module)(options);
server.on('error', (error) => { console.error(String(error)); process.exit(1); });
server.listen(config.port, '127.0.0.1', () => console.log('dynalite listening on ' + server.address().port));
`;
const LISTENING = /dynalite listening on (\d+)/;
const CREDENTIALS = { accessKeyId: 'flowline', secretAccessKey: 'flowline' } as const;

/** Starts dynalite on a free port and resolves once it answers HTTP. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<DynaliteServer> {
  const directory = options.persistent === true ? await temporaryDirectory('dynalite') : undefined;
  return deletingOnFailure(directory, async () => {
    const config = { port: 0, directory, maxItemSizeKb: options.maxItemSizeKb ?? 400 };
    const first = await launch(config);
    return new DynaliteHandle({ ...config, port: first.port }, first.child);
  });
}

class DynaliteHandle extends ChildServer implements DynaliteServer {
  readonly endpoint: string;
  readonly region = 'us-east-1';
  readonly credentials = CREDENTIALS;

  constructor(
    private readonly config: LaunchConfig,
    child: ServerProcess,
  ) {
    super(child, config.directory);
    this.endpoint = `http://127.0.0.1:${config.port}`;
  }

  get url(): string {
    return this.endpoint;
  }

  get port(): number {
    return this.config.port;
  }

  get directory(): string | undefined {
    return this.config.directory;
  }

  protected async relaunch(): Promise<ServerProcess> {
    return (await launch(this.config)).child;
  }
}

/** Spawns the child and waits for its "listening" line, then for one HTTP answer. */
function launch(config: LaunchConfig): Promise<{ child: ServerProcess; port: number }> {
  const module = createRequire(import.meta.url).resolve('dynalite');
  return launchNodeServer('dynalite', CHILD_SCRIPT, [JSON.stringify({ ...config, module })], LISTENING);
}

import { createRequire } from 'node:module';

import {
  ChildServer,
  deletingOnFailure,
  launchNodeServer,
  type ServerControls,
  type ServerProcess,
  temporaryDirectory,
} from './child-server.js';

export interface S3rverOptions {
  /** Buckets that exist from the start (s3rver's `--configure-bucket`); names of 3 to 63 lowercase characters. */
  readonly buckets?: readonly string[];
}

/**
 * A real S3 API server (s3rver) in its own process on 127.0.0.1, with its
 * data in a temporary directory. Its own process so a test can kill it,
 * freeze it, or restart it with its data, the way S3 fails in production.
 */
export interface S3rverServer extends ServerControls {
  /** `http://127.0.0.1:<port>`: the SDK's `endpoint` (use path-style URLs). */
  readonly endpoint: string;
  /** The same as `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** Where s3rver keeps buckets and objects (`<dir>/<bucket>/<key>._S3rver_object`). */
  readonly directory: string;
  /** s3rver's one account; any other key pair is refused. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
const LISTENING = /S3rver listening on [^\s:]+:(\d+)/;
/** The child runs s3rver's own command line. */
const RUN_BIN = 'require(process.argv[1]);';

/** Starts s3rver on a free port and resolves once it answers HTTP. */
export async function startS3rver(options: S3rverOptions = {}): Promise<S3rverServer> {
  const directory = await temporaryDirectory('s3rver');
  const buckets = options.buckets ?? [];
  return deletingOnFailure(directory, async () => {
    const first = await launch(directory, 0, buckets);
    return new S3rverHandle(directory, first.port, first.child, buckets);
  });
}

class S3rverHandle extends ChildServer implements S3rverServer {
  readonly endpoint: string;
  readonly credentials = CREDENTIALS;
  readonly region = 'us-east-1';

  constructor(
    readonly directory: string,
    readonly port: number,
    child: ServerProcess,
    private readonly buckets: readonly string[],
  ) {
    super(child, directory);
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  get url(): string {
    return this.endpoint;
  }

  protected async relaunch(): Promise<ServerProcess> {
    return (await launch(this.directory, this.port, this.buckets)).child;
  }
}

/** Spawns s3rver and waits for its "listening" line, then for one HTTP answer. */
function launch(
  directory: string,
  port: number,
  buckets: readonly string[],
): Promise<{ child: ServerProcess; port: number }> {
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const args = [bin, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '--silent'];
  for (const bucket of buckets) args.push('--configure-bucket', bucket);
  return launchNodeServer('s3rver', RUN_BIN, args, LISTENING);
}

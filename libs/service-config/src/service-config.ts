import type { QueuedStepType } from '@flowline/queue-bullmq';

/** The environment as a service received it. */
export type Environment = Readonly<Record<string, string | undefined>>;

export type ServiceName = 'coordinator' | 'worker';

/** Where the queues live (`REDIS_URL`, `FLOWLINE_REDIS_PREFIX`, `FLOWLINE_REDIS_CLUSTER`). */
export interface RedisConfig {
  readonly url: string;
  /** Holds a hash tag, e.g. `{flowline}` (docs/queue.md). */
  readonly prefix: string;
  readonly cluster: boolean;
}

/** Run state, logs and dead letters (`FLOWLINE_STATE`). */
export type StateConfig =
  | {
      readonly kind: 'file';
      /** `FLOWLINE_STATE_DIR`, absolute. Blobs (bundles, change sets) and the fs cache live here too. */
      readonly dir: string;
    }
  | {
      readonly kind: 'dynamodb';
      readonly table: string;
      readonly endpoint: string | undefined;
      /** `FLOWLINE_STATE_INIT`: create the table when it is missing. */
      readonly init: boolean;
    };

/** `FLOWLINE_CACHE`: the step cache. */
export type CacheKind = 's3' | 'fs' | 'none';

/** The bucket of the S3 cache and of the blobs when the state is on DynamoDB. */
export interface S3Config {
  readonly bucket: string;
  readonly endpoint: string | undefined;
  /** `S3_PREFIX`: every key goes under it, so several setups can share a bucket. */
  readonly prefix: string | undefined;
}

/** `AWS_*`. Unset credentials leave the SDK's default chain (profiles, web identity, instance roles) to find them. */
export interface AwsConfig {
  readonly region: string | undefined;
  readonly credentials:
    { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | undefined;
}

/** `OTEL_*`, passed through untouched for the telemetry module. */
export interface TelemetryConfig {
  /** `OTEL_SERVICE_NAME`, default `flowline-<service>`. */
  readonly serviceName: string;
  /** Every `OTEL_*` variable that is set. */
  readonly env: Readonly<Record<string, string>>;
}

interface CommonConfig {
  readonly redis: RedisConfig;
  readonly state: StateConfig;
  readonly cache: CacheKind;
  /** Set when something lives on S3: the cache (`FLOWLINE_CACHE=s3`) or the blobs (`FLOWLINE_STATE=dynamodb`). */
  readonly s3: S3Config | undefined;
  readonly aws: AwsConfig;
  /** `FLOWLINE_TMPDIR`, else the system's: scratch files, workflow bundles being compiled, attempts' workspaces. */
  readonly tempDir: string;
  readonly telemetry: TelemetryConfig;
  /**
   * The whole environment. Workflows name the secrets they need
   * (`secrets: [GITHUB_TOKEN]`) and the values come from here, per
   * workflow, at run time; executor settings (`FLOWLINE_CLAUDE_*`,
   * `ANTHROPIC_*`) are read from it too.
   */
  readonly secretsSource: Environment;
}

/** `flowline serve coordinator`. */
export interface CoordinatorServiceConfig extends CommonConfig {
  readonly service: 'coordinator';
  /** `PORT`, default 8080; 0 picks a free port. */
  readonly port: number;
  /** `FLOWLINE_API_TOKENS`: lowercase `sha256:<hex>` digests of the accepted bearer tokens. */
  readonly tokenDigests: readonly string[];
  /** `FLOWLINE_WORKFLOWS_DIR`, absolute: the named workflows `POST /v1/runs {workflow: NAME}` may start. */
  readonly workflowsDir: string;
}

/** `flowline serve worker`. */
export interface WorkerServiceConfig extends CommonConfig {
  readonly service: 'worker';
  /** `WORKER_QUEUES`, default every step type's queue. */
  readonly queues: readonly QueuedStepType[];
  /** `WORKER_CONCURRENCY`: attempts at once per queue, default 4. */
  readonly concurrency: number;
  /** `FLOWLINE_SANDBOX`, default `bwrap`. */
  readonly sandbox: 'bwrap' | 'none';
  /** `FLOWLINE_EGRESS_ALLOW` as given (checked): where webhooks may go besides public addresses. */
  readonly egressAllow: string | undefined;
  /** `WORKER_SHUTDOWN_GRACE`: how long a SIGTERM waits for running steps before handing them back, default 30 s. */
  readonly shutdownGraceMs: number;
  /**
   * `WORKER_LOCK_DURATION`: how long an attempt's lock lasts between renewals,
   * and how often workers look for stalled attempts, default 30 s. A worker
   * that dies (kill -9, a lost node) has its attempts run elsewhere within
   * about twice this.
   */
  readonly lockDurationMs: number;
}

export type ServiceConfig = CoordinatorServiceConfig | WorkerServiceConfig;

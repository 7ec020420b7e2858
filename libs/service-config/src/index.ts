export type { ClusterStores } from './cluster-stores.js';
export { ConfigError } from './config-error.js';
export { type OpenStoresOptions, openClusterStores } from './open-cluster-stores.js';
export { parseServiceConfig } from './parse-service-config.js';
export type {
  AwsConfig,
  CacheKind,
  CoordinatorServiceConfig,
  Environment,
  RedisConfig,
  S3Config,
  ServiceConfig,
  ServiceName,
  StateConfig,
  TelemetryConfig,
  WorkerServiceConfig,
} from './service-config.js';

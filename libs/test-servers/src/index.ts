export { type DynaliteServer, startDynalite } from './dynalite.js';
export { type RedisServer, startRedis } from './redis.js';
export { type S3rverServer, startS3rver } from './s3rver.js';
export { eventually, parentOf, processesWith } from './processes.js';

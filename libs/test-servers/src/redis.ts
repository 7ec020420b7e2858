/** Placeholder: replaced by the real starter. */
export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

export function startRedis(): Promise<RedisServer> {
  return Promise.reject(new Error('not implemented'));
}

/** Placeholder: replaced by the real starter. */
export interface S3rverServer {
  readonly url: string;
  stop(): Promise<void>;
}

export function startS3rver(): Promise<S3rverServer> {
  return Promise.reject(new Error('not implemented'));
}

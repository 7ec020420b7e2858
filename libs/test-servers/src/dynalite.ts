/** Placeholder: replaced by the real starter. */
export interface DynaliteServer {
  readonly url: string;
  stop(): Promise<void>;
}

export function startDynalite(): Promise<DynaliteServer> {
  return Promise.reject(new Error('not implemented'));
}

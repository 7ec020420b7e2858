/**
 * Serializes changes to the workspace: two attempts committing (or a cache
 * hit restoring) at once would interleave their files.
 */
export class WorkspaceLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

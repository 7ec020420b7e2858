/** The last queued operation per key; an entry is dropped once its queue drains. */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` after every earlier operation queued under `key` in this
 * process has settled. The file lock guards against other processes; this
 * keeps a process from polling its own lock, and orders its writers.
 */
export function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const result = (tails.get(key) ?? Promise.resolve()).then(work);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return result;
}

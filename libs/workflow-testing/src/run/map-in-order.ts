/**
 * Maps `items` through `work`, at most `limit` at once, and hands each
 * result to `onResult` in the items' order, as soon as it and every result
 * before it are in: output reads in file order while later work runs.
 */
export async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  onResult: (result: R, index: number) => void = () => {},
): Promise<R[]> {
  const results: R[] = [];
  const done: boolean[] = [];
  let started = 0;
  let delivered = 0;
  const deliver = () => {
    while (delivered < items.length && done[delivered] === true) onResult(results[delivered]!, delivered++);
  };
  const worker = async (): Promise<void> => {
    while (started < items.length) {
      const index = started++;
      results[index] = await work(items[index]!);
      done[index] = true;
      deliver();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

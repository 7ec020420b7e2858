/**
 * Keeps the last `limit` bytes of a stream: `stdout`/`stderr` outputs are
 * tails, so a chatty step costs bounded memory. Cut at a UTF-8 boundary.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.limit) this.size -= this.chunks.shift()!.length;
  }

  text(): string {
    let all = Buffer.concat(this.chunks);
    if (all.length > this.limit) all = all.subarray(all.length - this.limit);
    // Skip continuation bytes so the tail starts on a whole character.
    let start = 0;
    while (start < all.length && start < 4 && (all[start]! & 0xc0) === 0x80) start++;
    return all.subarray(start).toString('utf8');
  }
}

import type { SecretMasker } from '@flowline/core';
import type { StepLogStore } from '@flowline/ports';

/**
 * One attempt's log: text is masked a whole line at a time (a secret split
 * across two chunks must not slip through) and appended in order.
 */
export class LogWriter {
  private readonly partial = { stdout: '', stderr: '', system: '' };
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StepLogStore,
    private readonly runId: string,
    private readonly key: string,
    private readonly attempt: number,
    private readonly masker: SecretMasker,
    private readonly echo: ((text: string) => void) | undefined,
  ) {}

  write(stream: 'stdout' | 'stderr' | 'system', text: string): void {
    const prefix = stream === 'stdout' ? '' : `[${stream}] `;
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    if (lines.length > 0) this.emit(lines.map((line) => prefix + line).join('\n') + '\n');
  }

  /** Writes what is left and waits until everything is stored. */
  async close(): Promise<void> {
    for (const stream of ['stdout', 'stderr', 'system'] as const) {
      if (this.partial[stream] !== '') this.write(stream, '\n');
    }
    await this.chain;
  }

  private emit(text: string): void {
    const masked = this.masker.text(text);
    this.echo?.(masked);
    this.chain = this.chain.then(() => this.store.append(this.runId, this.key, this.attempt, masked));
  }
}

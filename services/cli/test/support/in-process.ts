import { type CliIo, main } from '../../src/index.js';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `flowline ...args` in-process (no child process) and captures what it prints. */
export async function flowlineInProcess(args: readonly string[], env: CliIo['env'] = {}): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

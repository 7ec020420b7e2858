/** The process's streams and surroundings, passed in so commands can be run and tested in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes every command uses. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Thrown for bad arguments: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** ANSI colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function painter(stream: CliIo['stderr'], env: CliIo['env']) {
  const enabled =
    env['FORCE_COLOR'] !== undefined
      ? env['FORCE_COLOR'] !== '0'
      : stream.isTTY === true && env['NO_COLOR'] === undefined;
  const paint = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: paint(31), yellow: paint(33), green: paint(32), dim: paint(2), bold: paint(1) };
}

import { type CliIo, UsageError } from '../cli-io.js';
import type { ParsedCommand } from '../command.js';
import { type ErrorContext, reportCoordinatorError } from './coordinator-error-report.js';
import { CoordinatorClient, CoordinatorError } from './coordinator-client.js';

/** `--server URL`, for every command that can talk to a coordinator. */
export const SERVER_OPTION = { server: { type: 'string' } } as const;

export const SERVER_OPTION_HELP = {
  server: "the coordinator's URL (default FLOWLINE_SERVER); the token comes from FLOWLINE_TOKEN",
} as const;

/** Where the coordinator is: --server, else FLOWLINE_SERVER; undefined means "on this machine". */
export function serverOf(args: ParsedCommand, io: CliIo): string | undefined {
  const given = args.values['server'];
  if (typeof given === 'string') return given;
  const env = io.env['FLOWLINE_SERVER'];
  return env === undefined || env === '' ? undefined : env;
}

/** For commands that only exist against a coordinator. */
export function requireServer(args: ParsedCommand, io: CliIo, command: string): string {
  const server = serverOf(args, io);
  if (server === undefined) throw new UsageError(`${command} needs --server URL (or FLOWLINE_SERVER)`, command);
  return server;
}

/** A local command's options that mean nothing with --server: refused rather than ignored. */
export function refuseLocalOptions(args: ParsedCommand, names: readonly string[], command: string): void {
  const given = names.find((name) => args.values[name] !== undefined);
  if (given !== undefined) {
    throw new UsageError(`--${given} is for runs on this machine; it has no meaning with --server`, command);
  }
}

/**
 * Runs `act` with a client for `server` and the token in FLOWLINE_TOKEN
 * (never a flag: flags end up in shell history and process lists). A
 * failed request is printed as one line and becomes the exit status.
 */
export async function withCoordinator(
  io: CliIo,
  command: string,
  server: string,
  act: (client: CoordinatorClient) => Promise<number>,
  context: ErrorContext = {},
): Promise<number> {
  if (!URL.canParse(server) || !['http:', 'https:'].includes(new URL(server).protocol)) {
    throw new UsageError(`--server must be an http:// or https:// URL, got "${server}"`, command);
  }
  const token = io.env['FLOWLINE_TOKEN'];
  if (token === undefined || token === '') {
    throw new UsageError(
      `FLOWLINE_TOKEN is not set: set FLOWLINE_TOKEN to an API token the coordinator at ${server} accepts`,
      command,
    );
  }
  try {
    return await act(new CoordinatorClient({ server, token }));
  } catch (error) {
    if (!(error instanceof CoordinatorError)) throw error;
    return reportCoordinatorError(error, io, context);
  }
}

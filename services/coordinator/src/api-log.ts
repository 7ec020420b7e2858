/** One log event of the coordinator. Messages are masked before they get here. */
export interface ApiLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly [field: string]: unknown;
}

export type ApiLog = (entry: ApiLogEntry) => void;

/** One JSON line per event on stderr, which container platforms collect. */
export const stderrApiLog: ApiLog = (entry) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), service: 'coordinator', ...entry })}\n`);
};

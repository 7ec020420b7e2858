/**
 * Every error Flowline raises on purpose carries a stable `code` and says
 * whether trying again can help. Retry decisions read `retryable`; they never
 * guess from a message.
 */
export class FlowlineError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** Input that can never succeed as given: a bad workflow, a bad argument. */
export class ValidationError extends FlowlineError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? {} : { details });
  }
}

/** A template failed while rendering (a missing value, a helper error). Not retryable. */
export class TemplateRenderError extends FlowlineError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('template_render_failed', message, details === undefined ? {} : { details });
  }
}

/**
 * The message of anything thrown. Duck-typed rather than `instanceof Error`,
 * which fails for errors from another realm (a vm context, a worker).
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

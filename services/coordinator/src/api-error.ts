import { FlowlineError } from '@flowline/core';

/**
 * An error the API raises itself with an explicit HTTP status, where the
 * code alone does not decide it (an unknown step in a URL is a 404, in a
 * request body a 400).
 */
export class ApiError extends FlowlineError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details === undefined ? {} : { details });
  }
}

/** 400 `bad_request`: the request itself is malformed (a field of the wrong type, a bad query value). */
export function badRequest(message: string, details?: Record<string, unknown>): ApiError {
  return new ApiError(400, 'bad_request', message, details);
}

import type { Request, Response } from 'express';

export type HttpMethod = 'get' | 'post' | 'delete';

/** A query, path or header parameter, as the OpenAPI document shows it. */
export interface ParameterDoc {
  readonly name: string;
  readonly in: 'query' | 'header';
  readonly description: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

/** One response of an operation: a component schema name, or a media type with no schema (text, empty). */
export interface ResponseDoc {
  readonly description: string;
  /** A schema in `components.schemas`; JSON. */
  readonly schema?: string;
  /** Another media type (`text/plain`), with a plain string schema. */
  readonly mediaType?: string;
}

/**
 * One route of the API: how express serves it and how the OpenAPI document
 * describes it, from the same entry, so the two cannot drift apart.
 */
export interface ApiRoute {
  readonly method: HttpMethod;
  /** The OpenAPI path template, `/v1/runs/{id}`; express's path is derived from it (see expressPath). */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** False only for probes and /metrics, which infrastructure calls without a token. */
  readonly auth: boolean;
  /** A component schema the JSON body must follow; routes without one read no body. */
  readonly requestBody?: string;
  readonly parameters?: readonly ParameterDoc[];
  /** By status code; errors common to every route (401, 500, …) are added by the document builder. */
  readonly responses: Readonly<Record<string, ResponseDoc>>;
  readonly handler: (req: Request, res: Response) => Promise<void> | void;
}

/**
 * `/v1/runs/{id}` → `/v1/runs/:id`, and a literal colon (`/v1/runs:plan`)
 * escaped, since express 5's path syntax reads `:plan` as a parameter.
 */
export function expressPath(openApiPath: string): string {
  return openApiPath.replaceAll(':', '\\:').replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/** The inverse of expressPath, for checking the routes express holds against the document. */
export function openApiPath(expressRoutePath: string): string {
  return expressRoutePath.replace(/(?<!\\):([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}').replaceAll('\\:', ':');
}

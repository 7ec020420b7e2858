import type { Request } from 'express';

import { badRequest } from './api-error.js';

export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * The JSON body as an object with only the given fields. An absent body is
 * `{}`; a typo in a field name is a 400 naming it, not a silent default.
 */
export function bodyObject(req: Request, fields: readonly string[]): JsonObject {
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !fields.includes(key));
  if (unknown.length > 0) {
    throw badRequest(`unknown field ${JSON.stringify(unknown[0])} (expected: ${fields.join(', ')})`, {
      fields: unknown,
    });
  }
  return body;
}

export function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`"${name}" must be a string`);
  return value;
}

export function optionalObject(body: JsonObject, name: string): JsonObject | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!isObject(value)) throw badRequest(`"${name}" must be a JSON object`);
  return value;
}

/** An object whose values are all strings (`files`: path → content). */
export function optionalStringMap(body: JsonObject, name: string): Readonly<Record<string, string>> | undefined {
  const value = optionalObject(body, name);
  if (value === undefined) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw badRequest(`"${name}.${key}" must be a string`);
  }
  return value as Readonly<Record<string, string>>;
}

export function optionalInteger(body: JsonObject, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`"${name}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A query parameter given at most once. */
export function queryValue(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`query parameter "${name}" may be given once`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

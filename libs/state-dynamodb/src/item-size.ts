import { FlowlineError, formatBytes } from '@flowline/core';

/**
 * DynamoDB refuses an item over 400 KB (names and values, UTF-8). The JSON
 * Flowline puts in one item stays under this, which leaves room for the
 * keys and the other attributes, and for the record's copies in the two
 * indexes.
 */
export const MAX_PAYLOAD_BYTES = 350 * 1024;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The error for a payload that cannot be stored; `what` names it ("run r1's record", "event 7 (step_finished of build)"). */
export function tooLarge(what: string, bytes: number, details: Record<string, unknown>): FlowlineError {
  const message =
    `${what} is ${formatBytes(bytes)} as JSON; a DynamoDB item holds at most 400 KB and Flowline keeps ` +
    `one under ${formatBytes(MAX_PAYLOAD_BYTES)}. Large step outputs are to be stored in S3 and referenced ` +
    `from the state (not yet done): keep this step's outputs smaller`;
  return new FlowlineError('state_item_too_large', message, {
    details: { ...details, bytes, limit: MAX_PAYLOAD_BYTES },
  });
}

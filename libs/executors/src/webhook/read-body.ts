import type { IncomingMessage } from 'node:http';

import { FlowlineError, formatBytes } from '@flowline/core';

/**
 * The response body, failing with `response_too_large` as soon as it is
 * known to exceed `maxBytes` (from Content-Length, else while streaming),
 * so an endless or huge body never sits in memory.
 */
export function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge(maxBytes, `its Content-Length is ${formatBytes(declared)}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      response.destroy();
      reject(tooLarge(maxBytes, `more than ${formatBytes(maxBytes)} arrived`));
    });
    response.on('end', () => resolve(Buffer.concat(chunks, size)));
    response.on('error', reject);
    // A connection that drops mid-body ends with 'close' and no 'end' (resolve/reject after that are no-ops).
    response.on('close', () =>
      reject(new FlowlineError('network_error', 'the connection closed mid-response', { retryable: true })),
    );
  });
}

function tooLarge(maxBytes: number, what: string): FlowlineError {
  return new FlowlineError(
    'response_too_large',
    `the response is larger than max_response_size (${formatBytes(maxBytes)}): ${what}`,
    {
      details: { maxBytes },
    },
  );
}

import { once } from 'node:events';
import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A TCP proxy in front of a server that can lose one answer: the request
 * reaches the server and is applied, and the client's connection is cut
 * instead of answered — what a network failure after a write looks like.
 * The SDK then retries the request.
 */
export interface LossyProxy {
  readonly endpoint: string;
  /** Cut the next answer to a request whose text contains `marker` (say `DynamoDB_20120810.PutItem`). */
  loseNextAnswerTo(marker: string): void;
  /** How many answers were lost so far. */
  readonly lost: number;
  /** Requests that went through, by DynamoDB action (`PutItem`: 3). */
  readonly requests: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export async function startLossyProxy(targetPort: number): Promise<LossyProxy> {
  let armed: string | undefined;
  let lost = 0;
  const requests: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let request = '';
    client.on('data', (chunk: Buffer) => {
      for (const [, action] of chunk.toString('latin1').matchAll(/x-amz-target: DynamoDB_20120810\.(\w+)/gi)) {
        requests[action!] = (requests[action!] ?? 0) + 1;
      }
      request += chunk.toString('latin1');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (armed !== undefined && request.includes(armed)) {
        armed = undefined;
        lost += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      // One request at a time per connection (no pipelining): an answer ends the request.
      request = '';
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    loseNextAnswerTo: (marker) => {
      armed = marker;
    },
    get lost() {
      return lost;
    },
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

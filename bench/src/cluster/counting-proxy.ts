import { Agent, type IncomingMessage, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of dynalite or s3rver that counts requests by
 * operation (DynamoDB's `X-Amz-Target`, S3's method and key area), so the
 * bench can say how many API calls a step costs without touching the
 * services. It adds a hop, so it is used only for counting, never timing.
 */
export class CountingProxy {
  private constructor(
    /** Requests so far by operation. */
    readonly counts: ReadonlyMap<string, number>,
    private readonly server: Server,
    private readonly agent: Agent,
  ) {}

  /** Listens on a free 127.0.0.1 port and forwards to `target` (`http://host:port`). */
  static async start(target: string, name: string): Promise<CountingProxy> {
    const upstream = new URL(target);
    const agent = new Agent({ keepAlive: true, maxSockets: 256 });
    const counts = new Map<string, number>();
    const server = createServer((incoming, outgoing) => {
      const key = `${name} ${operation(incoming)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          agent,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => outgoing.destroy(error));
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new CountingProxy(counts, server, agent);
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }
}

/** `GetItem`, `Query`… for DynamoDB; `GET blobs`, `PUT blobs`, `HEAD cache`… for S3 (path style: /bucket/area/…). */
function operation(incoming: IncomingMessage): string {
  const target = incoming.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').at(-1) ?? target;
  const area = (incoming.url ?? '').split('?')[0]?.split('/')[2] ?? '';
  return `${incoming.method ?? '?'} ${area}`;
}

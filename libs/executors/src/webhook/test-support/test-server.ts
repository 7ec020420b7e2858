import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type Route = (request: SeenRequest, response: ServerResponse) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port><path>` */
  url(path?: string): string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** TCP connections accepted so far: a refused webhook must open none. */
  connections(): number;
  /** Resolves when the server has received `count` requests (bodies read). */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, an ephemeral port, answering each request through `routes[path]`. */
export async function startTestServer(routes: Record<string, Route>): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let connections = 0;
  const server = createServer((incoming, response) => {
    void bodyOf(incoming).then((body) => {
      const seen = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body };
      requests.push(seen);
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();
      const route = routes[seen.path.split('?')[0] ?? ''];
      if (route === undefined) response.writeHead(404).end('no route');
      else route(seen, response);
    });
  });
  server.on('connection', () => (connections += 1));
  const port = await listen(server);
  return {
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    port,
    requests,
    connections: () => connections,
    received: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Listens on 127.0.0.1, an ephemeral port; resolves with the port. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function bodyOf(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers with `status`, JSON `body` and extra headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Route {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
}

/** Answers with a redirect to `location`. */
export function redirect(status: number, location: string): Route {
  return (_request, response) => response.writeHead(status, { location }).end();
}

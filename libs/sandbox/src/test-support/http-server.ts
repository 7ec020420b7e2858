import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface TestServer {
  readonly url: string;
  /** How many requests reached the server. */
  requests(): number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (port 0) answering `hello` to everything. */
export async function startHttpServer(): Promise<TestServer> {
  let requests = 0;
  const server: Server = createServer((_request, response) => {
    requests += 1;
    response.end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests: () => requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { sendHop } from './send-hop.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ '/text': (_request, response) => response.end('reached') });
});
afterAll(() => server.close());

describe('sendHop', () => {
  it('connects to the vetted address with no lookup of its own, and names the host in the Host header', async () => {
    // `.invalid` never resolves (RFC 2606): reaching the server proves no second DNS lookup happened,
    // so a rebinding DNS server gets no chance to answer differently.
    const hop = {
      url: new URL(`http://rebind.invalid:${server.port}/text?q=1`),
      method: 'GET',
      headers: {},
      body: undefined,
    };
    const response = await sendHop(hop, [{ address: '127.0.0.1', family: 4 }], new AbortController().signal);
    response.resume();
    expect(response.statusCode).toBe(200);
    expect(server.requests.at(-1)).toMatchObject({
      path: '/text?q=1',
      headers: { host: `rebind.invalid:${server.port}` },
    });
  });

  it('sends URL user info as Basic credentials', async () => {
    const hop = {
      url: new URL(`http://us%20er:p%40ss@127.0.0.1:${server.port}/text`),
      method: 'GET',
      headers: {},
      body: undefined,
    };
    const response = await sendHop(hop, [{ address: '127.0.0.1', family: 4 }], new AbortController().signal);
    response.resume();
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from('us er:p@ss').toString('base64')}`);
  });
});

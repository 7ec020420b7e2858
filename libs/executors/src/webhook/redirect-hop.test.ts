import { describe, expect, it } from '@jest/globals';

import { FlowlineError } from '@flowline/core';

import type { Hop } from './hop.js';
import { redirectHop } from './redirect-hop.js';

const post: Hop = {
  url: new URL('https://a.example/hook?x=1'),
  method: 'POST',
  headers: { 'content-type': 'application/json', 'content-length': '2', authorization: 'Bearer t', 'x-api-key': 'k' },
  body: Buffer.from('{}'),
};

describe('redirectHop', () => {
  it.each([301, 302, 303])('turns a POST into a GET without a body on %i', (status) => {
    const next = redirectHop(post, status, '/done');
    expect(next.method).toBe('GET');
    expect(next.body).toBeUndefined();
    expect(next.url.href).toBe('https://a.example/done');
    expect(next.headers).toEqual({ authorization: 'Bearer t', 'x-api-key': 'k' });
  });

  it.each([307, 308])('repeats the request as it was on %i', (status) => {
    const next = redirectHop(post, status, 'other?y=2');
    expect(next).toEqual({ ...post, url: new URL('https://a.example/other?y=2') });
  });

  it('keeps HEAD a HEAD', () => {
    expect(redirectHop({ ...post, method: 'HEAD', body: undefined }, 302, '/x').method).toBe('HEAD');
  });

  it('drops every header but a few harmless ones on a redirect to another origin', () => {
    const next = redirectHop(post, 307, 'https://b.example/hook');
    expect(next.headers).toEqual({ 'content-type': 'application/json', 'content-length': '2' });
    expect(redirectHop(post, 307, 'http://a.example/hook').headers).not.toHaveProperty('authorization');
  });

  it('refuses a Location that is not http(s)', () => {
    expect(() => redirectHop(post, 302, 'file:///etc/passwd')).toThrow(FlowlineError);
    expect(() => redirectHop(post, 302, 'gopher://a.example/')).toThrow(/gopher: URLs are not allowed/);
  });
});

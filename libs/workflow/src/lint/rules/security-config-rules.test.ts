import { describe, expect, it } from '@jest/globals';

import { at, flow, lint } from './test-support/security-lint.js';

describe('claude-code-full-profile', () => {
  it('reports profile full, at the profile', () => {
    const yaml = flow(
      'name: w',
      'steps:',
      '  - { id: a, type: claude_code, prompt: go, profile: full }',
      '  - { id: b, type: claude_code, prompt: go, profile: run-tests }',
    );
    expect(lint('claude-code-full-profile', yaml)).toEqual([at(yaml, 3, 'full', 'claude-code-full-profile')]);
  });
});

describe('claude-code-network', () => {
  const id = 'claude-code-network';

  it("reports a claude_code step's own sandbox.network and web tools, not defaults", () => {
    const yaml = flow(
      'name: w',
      'defaults: { sandbox: { network: true } } # shell steps fetch packages',
      'steps:',
      '  - id: a',
      '    type: claude_code',
      '    prompt: go',
      '    sandbox: { network: true } # reads the docs site',
      '  - { id: b, type: claude_code, prompt: go, allowed_tools: [Read, WebFetch, "WebSearch(docs)"] }',
      '  - { id: c, type: claude_code, prompt: go }',
      '  - { id: d, type: shell, run: npm ci, sandbox: { network: true } } # the registry',
    );
    expect(lint(id, yaml)).toEqual([
      at(yaml, 7, 'true', id),
      at(yaml, 8, 'WebFetch', id),
      at(yaml, 8, '"WebSearch', id),
    ]);
  });
});

describe('network-without-comment', () => {
  const id = 'network-without-comment';

  it('reports sandbox.network: true in defaults and steps with no comment saying why', () => {
    const yaml = flow(
      'name: w',
      'defaults:',
      '  sandbox: { network: true }',
      'steps:',
      '  - { id: a, type: shell, run: npm ci, sandbox: { network: true } }',
      '  # ----',
      '  - { id: b, type: shell, run: npm ci, sandbox: { network: true } }',
      '  - { id: c, type: shell, run: npm ci, sandbox: { network: true } } # flowline-lint-disable-line npx-unpinned',
    );
    expect(lint(id, yaml)).toEqual([3, 5, 7, 8].map((line) => at(yaml, line, 'true', id)));
  });

  it('reports a shared anchored sandbox once, at the anchor, and takes a comment there', () => {
    const yaml = flow(
      'name: w',
      'x-net: &net { network: true }',
      'steps:',
      '  - { id: a, type: shell, run: npm ci, sandbox: *net }',
      '  - { id: b, type: shell, run: npm ci, sandbox: *net }',
    );
    expect(lint(id, yaml)).toEqual([at(yaml, 2, 'true', id)]);
    expect(lint(id, yaml.replace('{ network: true }', '{ network: true } # the registry'))).toEqual([]);
  });

  it('is quiet with a comment on the line, above it, above sandbox:, or as a suppression reason', () => {
    const yaml = flow(
      'name: w',
      'steps:',
      '  - { id: a, type: shell, run: npm ci, sandbox: { network: true } } # npm ci downloads packages',
      '  # The registry serves the packages.',
      '  - { id: b, type: shell, run: npm ci, sandbox: { network: true } }',
      '  - id: c',
      '    type: shell',
      '    run: npm ci',
      '    # npm ci downloads packages',
      '    sandbox:',
      '      memory: 1GiB',
      '      network: true',
      '  - id: d',
      '    type: shell',
      '    run: npm ci',
      '    sandbox: { network: false }',
      '  - { id: e, type: shell, run: git fetch, sandbox: { network: true } } # flowline-lint-disable-line x -- git fetch needs it',
    );
    expect(lint(id, yaml)).toEqual([]);
  });
});

describe('plain-http-webhook', () => {
  const id = 'plain-http-webhook';

  it('reports http:// to another host, including a templated host, at the url', () => {
    const yaml = flow(
      'name: w',
      'inputs: { host: { type: string }, url: { type: string } }',
      'steps:',
      '  - { id: a, type: webhook, url: http://hooks.example.com/deploy }',
      "  - { id: b, type: webhook, url: 'http://{{inputs.host}}/deploy' }",
      '  - { id: c, type: webhook, url: https://hooks.example.com/deploy }',
      '  - { id: d, type: webhook, url: "http://localhost:8080/x" }',
      '  - { id: e, type: webhook, url: "http://127.0.0.1/x" }',
      "  - { id: f, type: webhook, url: 'http://[::1]:9000/x' }",
      "  - { id: g, type: webhook, url: '{{inputs.url}}' }",
      '  - { id: h, type: webhook, url: "http://api.localhost/x" }',
    );
    expect(lint(id, yaml)).toEqual([at(yaml, 4, 'http:', id), at(yaml, 5, 'http:', id)]);
  });
});

import { TemplateRenderError, ValidationError } from '@flowline/core';
import { describe, expect, test } from '@jest/globals';

import type { TemplateContext } from './template-context.js';
import {
  compileBare,
  compileTemplate,
  describeParseError,
  parseTemplate,
  prepareTemplate,
  render,
} from './template-engine.js';
import { context, renderWith } from './test-support/render.js';

function renderError(source: string, ctx: TemplateContext): TemplateRenderError {
  const template = compileTemplate(source);
  try {
    template.render(ctx);
  } catch (error) {
    if (error instanceof TemplateRenderError) return error;
    throw new Error(`expected a TemplateRenderError, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ${source} to fail`);
}

describe('rendering', () => {
  test('static text is returned as is, without Handlebars', () => {
    const source = 'echo "no expressions here" { single } braces }}';
    const template = compileTemplate(source);
    expect(template.isStatic).toBe(true);
    expect(template.references).toEqual([]);
    expect(template.helpers).toEqual([]);
    expect(template.render(context())).toBe(source);
    expect(render(template, context())).toBe(source);
  });

  test('a template with expressions is not static', () => {
    const template = compileTemplate('hi {{inputs.name}}');
    expect(template.isStatic).toBe(false);
    expect(template.source).toBe('hi {{inputs.name}}');
    expect(render(template, context({ inputs: { name: 'ann' } }))).toBe('hi ann');
  });

  test('no HTML escaping', () => {
    expect(renderWith('{{inputs.x}}', { x: `<b>&"'` })).toBe(`<b>&"'`);
    expect(renderWith('{{inputs.x}} && {{{inputs.x}}}', { x: 'a && b' })).toBe('a && b && a && b');
  });

  test('nested paths reach every part of the context', () => {
    const ctx = context({
      inputs: { repo: { owner: 'acme', name: 'app' }, list: ['x', 'y'] },
      env: { HOME: '/home/ci' },
      secrets: { TOKEN: 's3cret' },
      steps: { build: { status: 'succeeded', outputs: { sha: 'abc123', info: { size: 7 } } } },
      step: { id: 'deploy', attempt: 2 },
      item: { name: 'it' },
      index: 4,
    });
    const source =
      '{{inputs.repo.owner}}/{{inputs.repo.name}} {{inputs.list.[1]}} {{env.HOME}} {{secrets.TOKEN}} ' +
      '{{steps.build.status}} {{steps.build.outputs.sha}} {{steps.build.outputs.info.size}} ' +
      '{{run.id}} {{workflow.name}} {{step.id}}#{{step.attempt}} {{item.name}} {{index}}';
    expect(compileTemplate(source).render(ctx)).toBe(
      'acme/app y /home/ci s3cret succeeded abc123 7 run-1 nightly deploy#2 it 4',
    );
  });

  test('adjacent values are joined as text, never added', () => {
    expect(renderWith('{{inputs.a}}{{inputs.b}}', { a: 1, b: 2 })).toBe('12');
    expect(renderWith('{{inputs.a}}{{inputs.b}}{{inputs.c}}', { a: 1, b: 2, c: 3 })).toBe('123');
    expect(renderWith('{{inputs.a}}{{inputs.b}}', { a: true, b: false })).toBe('truefalse');
    expect(renderWith('{{eq 1 1}}{{eq 2 2}}')).toBe('truetrue');
    expect(renderWith('{{len "ab"}}{{len "abc"}}')).toBe('23');
    expect(renderWith('{{#each inputs.list}}{{@index}}{{this}};{{/each}}', { list: [5, 6] })).toBe('05;16;');
    expect(renderWith('{{#with inputs}}{{a}}{{b}}{{/with}}', { a: 4, b: 2 })).toBe('42');
    expect(compileBare('{{a}}{{b}}')({ a: 1, b: 2 })).toBe('12');
  });

  test('a single value renders as text', () => {
    expect(renderWith('{{inputs.n}}', { n: 5 })).toBe('5');
    expect(renderWith('{{inputs.b}}', { b: false })).toBe('false');
  });

  test('lists and mappings render as JSON, never [object Object]', () => {
    expect(renderWith('{{inputs.list}}', { list: ['a', 'b'] })).toBe('["a","b"]');
    expect(renderWith('files: {{inputs.m}}', { m: { a: 1, b: [true, null] } })).toBe('files: {"a":1,"b":[true,null]}');
    expect(renderWith('{{#each inputs.list}}{{this}};{{/each}}', { list: [['x'], { y: 1 }] })).toBe('["x"];{"y":1};');
    expect(renderWith('{{join inputs.list ", "}}', { list: ['a', 'b'] })).toBe('a, b');
  });

  test('#if with {{else}}', () => {
    const source = '{{#if inputs.flag}}yes{{else}}no{{/if}}';
    expect(renderWith(source, { flag: true })).toBe('yes');
    expect(renderWith(source, { flag: false })).toBe('no');
    expect(renderWith(source, { flag: 0 })).toBe('no');
    expect(renderWith(source, { flag: [] })).toBe('no');
    expect(renderWith(source)).toBe('no');
  });

  test('#if through a helper uses the language truthiness', () => {
    const source = '{{#if (and inputs.flag)}}yes{{else}}no{{/if}}';
    expect(renderWith(source, { flag: 'false' })).toBe('no');
    expect(renderWith(source, { flag: ' 0 ' })).toBe('no');
    expect(renderWith(source, { flag: 'on' })).toBe('yes');
    expect(renderWith('{{#if (eq inputs.n 3)}}three{{/if}}', { n: '3' })).toBe('three');
  });

  test('#unless', () => {
    const source = '{{#unless inputs.done}}todo{{else}}done{{/unless}}';
    expect(renderWith(source, { done: false })).toBe('todo');
    expect(renderWith(source, { done: true })).toBe('done');
  });

  test('#each over a list, with @index, block params and @root', () => {
    const inputs = { files: [{ name: 'a.ts' }, { name: 'b.ts' }], repo: 'app' };
    expect(renderWith('{{#each inputs.files}}{{@index}}:{{name}} {{/each}}', inputs)).toBe('0:a.ts 1:b.ts ');
    expect(renderWith('{{#each inputs.files as |f i|}}{{i}}={{f.name}}@{{@root.inputs.repo}};{{/each}}', inputs)).toBe(
      '0=a.ts@app;1=b.ts@app;',
    );
    expect(renderWith('{{#each inputs.files}}{{name}}-{{../inputs.repo}} {{/each}}', inputs)).toBe(
      'a.ts-app b.ts-app ',
    );
  });

  test('#each over a mapping, and {{else}} for an empty list', () => {
    expect(renderWith('{{#each inputs.m}}{{@key}}={{this}};{{/each}}', { m: { a: 1, b: 'x' } })).toBe('a=1;b=x;');
    expect(renderWith('{{#each inputs.list}}{{this}}{{else}}empty{{/each}}', { list: [] })).toBe('empty');
  });

  test('#with', () => {
    const inputs = { repo: { owner: 'acme', name: 'app' } };
    expect(renderWith('{{#with inputs.repo}}{{owner}}/{{name}}{{/with}}', inputs)).toBe('acme/app');
    expect(renderWith('{{#with inputs.repo as |r|}}{{r.name}}{{/with}}', inputs)).toBe('app');
  });

  test('a template can be compiled from a tree already parsed and scanned', () => {
    const source = '{{upper inputs.name}}!';
    const template = compileTemplate(source, prepareTemplate(source));
    expect(template.references.map((r) => r.path.join('.'))).toEqual(['inputs.name']);
    expect(template.render(context({ inputs: { name: 'ann' } }))).toBe('ANN!');
  });
});

describe('rendering: prototype safety', () => {
  test.each([
    '{{constructor}}',
    '{{inputs.constructor}}',
    '{{inputs.__proto__}}',
    '{{lookup inputs "constructor"}}',
    '{{lookup inputs "__proto__"}}',
    '{{lookup this "constructor"}}',
    '{{#with inputs.__proto__}}inside{{/with}}',
    '{{#with "s" as |s|}}{{#with s.constructor}}inside{{/with}}{{/with}}',
    '{{json inputs.constructor}}',
  ])('%s renders nothing harmful', (source) => {
    const rendered = renderWith(source, { name: 'x' });
    expect(rendered).not.toContain('function');
    expect(rendered).not.toContain('[object');
    expect(rendered).not.toContain('inside');
    expect(rendered).toBe(source.startsWith('{{json') ? 'null' : '');
  });

  test('a path through a prototype property fails like a missing value', () => {
    const error = renderError('{{inputs.constructor.name}}', context({ inputs: {} }));
    expect(error.message).toContain('inputs.constructor is not defined');
  });

  test('the known Handlebars code-execution payload does not run', () => {
    const payload =
      '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}' +
      '{{this.push (lookup string.sub "constructor")}}{{this.pop}}' +
      '{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return globalThis.pwned = 1;"}}{{this.pop}}' +
      '{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}' +
      '{{/with}}{{/with}}{{/with}}{{/with}}';
    // Refused before it can run: `this.push` and `string.sub.apply` are called as helpers the language lacks.
    expect(() => renderWith(payload)).toThrow(ValidationError);
    expect(() => renderWith(payload)).toThrow('unknown helper "this.push"');
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  test('templates cannot pollute Object.prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const payload: unknown = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}',
    );
    const inputs = { payload, polluted: 'yes' };
    const attempts = [
      '{{json inputs.payload}}',
      '{{#each inputs.payload}}{{@key}}{{json this}}{{/each}}',
      '{{#with inputs.payload}}{{json this}}{{/with}}',
      '{{json inputs.payload __proto__=inputs.payload}}',
      '{{#with (lookup inputs "__proto__")}}{{lookup this "polluted"}}{{/with}}',
      '{{#each inputs.payload.__proto__}}{{this}}{{/each}}',
      '{{#with inputs.constructor}}{{#with prototype}}{{polluted}}{{/with}}{{/with}}',
      '{{default inputs.__proto__.polluted inputs.polluted}}',
    ];
    for (const source of attempts) {
      try {
        renderWith(source, inputs);
      } catch (error) {
        expect(error).toBeInstanceOf(TemplateRenderError);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(Object.getPrototypeOf(inputs)).toBe(Object.prototype);
  });
});

describe('rendering: missing values', () => {
  const steps = { a: { status: 'succeeded', outputs: { present: 'p' } } };

  test('a missing value alone is an error naming it', () => {
    const error = renderError('echo {{steps.a.outputs.missing}}', context({ steps }));
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.code).toBe('template_render_failed');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('steps.a.outputs.missing is not defined (in "echo {{steps.a.outputs.missing}}")');
    expect(error.details).toEqual({ reference: 'steps.a.outputs.missing', line: 1, column: 7 });
  });

  test('a missing step is named at the step', () => {
    const error = renderError('{{steps.zz.outputs.x}}', context({ steps }));
    expect(error.message).toContain('steps.zz is not defined, so steps.zz.outputs.x cannot be read');
  });

  test('a missing intermediate inside a helper argument is an error naming it', () => {
    const error = renderError('{{default steps.a.outputs.total.lines 0}}', context({ steps }));
    expect(error.message).toContain('steps.a.outputs.total is not defined');
    expect(error.message).toContain('so steps.a.outputs.total.lines cannot be read');
    expect(error.details).toEqual({ reference: 'steps.a.outputs.total.lines', line: 1, column: 10 });
  });

  test('a missing terminal value inside a helper argument is allowed', () => {
    expect(compileTemplate('{{default steps.a.outputs.nope "x"}}').render(context({ steps }))).toBe('x');
    expect(compileTemplate('{{#if steps.a.outputs.nope}}y{{else}}n{{/if}}').render(context({ steps }))).toBe('n');
  });

  test('a missing section value is an error naming it', () => {
    const error = renderError('{{#inputs.flag}}on{{/inputs.flag}}', context());
    expect(error.message).toBe('inputs.flag is not defined (in "{{#inputs.flag}}on{{/inputs.flag}}")');
  });

  test('a missing @root value inside #each is an error naming it', () => {
    const error = renderError(
      '{{#each inputs.list}}{{@root.inputs.nope}}{{/each}}',
      context({ inputs: { list: [1] } }),
    );
    expect(error.message).toContain('inputs.nope is not defined');
  });

  test('null is a value, not a missing one', () => {
    expect(renderWith('[{{inputs.v}}]', { v: null })).toBe('[]');
  });
});

describe('rendering: features left out', () => {
  test.each([
    ['the log helper', '{{log "hello"}}', 'unknown-helper', 'unknown helper "log"'],
    ['an unknown helper', '{{shout inputs.x}}', 'unknown-helper', 'unknown helper "shout"'],
    ['a partial', '{{> header}}', 'template-unsupported', 'partials ({{> name}}) are not supported'],
    ['a partial block', '{{#> layout}}x{{/layout}}', 'template-unsupported', 'partials ({{> name}}) are not supported'],
    [
      'an inline partial',
      '{{#*inline "p"}}hi{{/inline}}{{> p}}',
      'template-unsupported',
      'decorators ({{* name}}) are not supported',
    ],
    ['a decorator', '{{*deco}}', 'template-unsupported', 'decorators ({{* name}}) are not supported'],
    ['a helper with too few arguments', '{{default inputs.x}}', 'helper-arguments', 'default takes 2 arguments, got 1'],
    [
      'a helper with too many arguments',
      '{{len inputs.x inputs.x}}',
      'helper-arguments',
      'len takes 1 argument, got 2',
    ],
  ])('%s is refused when compiled', (_, source, code, reason) => {
    const attempt = () => renderWith(source, { x: 'a' });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(reason);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).code).toBe(code);
    }
  });
});

describe('compileTemplate: what a template reads and calls', () => {
  const source =
    '{{gte steps.m.outputs.pct inputs.target}} ' +
    '{{#each steps.m.outputs.files as |f|}}{{f.name}}{{@root.inputs.repo}}{{/each}}';

  test('references are from the root; block params are not among them', () => {
    const { references } = compileTemplate(source);
    const paths = references.map((r) => r.path.join('.'));
    expect(paths).toEqual(['steps.m.outputs.pct', 'inputs.target', 'steps.m.outputs.files', 'inputs.repo']);
    expect(paths).not.toContain('f.name');
    expect(paths).not.toContain('name');
    expect(references.map((r) => r.mustExist)).toEqual([false, false, false, true]);
  });

  test('helpers are listed with their places', () => {
    expect(compileTemplate(source).helpers).toEqual([
      { name: 'gte', arguments: 2, line: 1, column: 2 },
      { name: 'each', arguments: 1, line: 1, column: 45 },
    ]);
  });

  test('and it renders', () => {
    const ctx = context({
      inputs: { target: 80, repo: '@r' },
      steps: { m: { status: 'succeeded', outputs: { pct: '85', files: [{ name: 'a' }, { name: 'b' }] } } },
    });
    expect(compileTemplate(source).render(ctx)).toBe('true a@rb@r');
  });
});

describe('describeParseError', () => {
  function parseFailure(source: string): unknown {
    try {
      parseTemplate(source);
    } catch (error) {
      return error;
    }
    throw new Error(`expected ${source} not to parse`);
  }

  test.each<[string, number, string]>([
    ['{{#if x}}a', 1, 'expected "{{/…}}", got the end of the text'],
    ['{{x', 1, 'expected a name, got invalid text'],
    ['one\ntwo\n{{json x indent=}}', 3, 'expected a name, got "}}"'],
    ['text\n{{#if x}}\n{{/each}}', 2, "if doesn't match each"],
  ])('%j: line %d, %s', (source, line, reason) => {
    expect(describeParseError(parseFailure(source))).toEqual({ line, reason });
  });

  test('compileTemplate throws the same parse error', () => {
    expect(() => compileTemplate('{{#if x}}a')).toThrow('Parse error on line 1');
  });

  test('a value that is not an Error is described as is', () => {
    expect(describeParseError('broken')).toEqual({ line: 1, reason: 'broken' });
  });
});

describe('{{#if}} and {{#unless}} follow the language truthiness', () => {
  // Outputs written through $FLOWLINE_OUTPUT arrive as text: "false" and "0" must read as false.
  test.each([
    ['false', 'no'],
    ['0', 'no'],
    [' null ', 'no'],
    ['', 'no'],
    [0, 'no'],
    [[], 'no'],
    ['true', 'yes'],
    ['no', 'yes'],
    [1, 'yes'],
    [['a'], 'yes'],
  ])('#if %j → %s', (value, expected) => {
    expect(renderWith('{{#if inputs.v}}yes{{else}}no{{/if}}', { v: value })).toBe(expected);
    expect(renderWith('{{#unless inputs.v}}no{{else}}yes{{/unless}}', { v: value })).toBe(expected);
  });

  test('the block keeps its context', () => {
    expect(
      renderWith('{{#each inputs.list}}{{#if this.ok}}{{this.name}}{{/if}}{{/each}}', {
        list: [
          { ok: 'false', name: 'a' },
          { ok: 'true', name: 'b' },
        ],
      }),
    ).toBe('b');
  });
});

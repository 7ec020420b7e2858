import { describe, expect, test } from '@jest/globals';

import { type TemplateScan, scanTemplate } from './scan-template.js';
import { parseTemplate } from './template-engine.js';

function scan(source: string): TemplateScan {
  return scanTemplate(parseTemplate(source));
}

/** References as `dotted.path:mustExist`, in template order. */
function refs(source: string): string[] {
  return scan(source).references.map((r) => `${r.path.join('.')}:${String(r.mustExist)}`);
}

function helperNames(source: string): string[] {
  return scan(source).helpers.map((h) => h.name);
}

describe('scanTemplate: references', () => {
  test('a bare {{a.b}} must exist, with its place', () => {
    expect(scan('{{a.b}}')).toEqual({
      references: [{ path: ['a', 'b'], mustExist: true, line: 1, column: 2 }],
      helpers: [],
      unsupported: [],
    });
  });

  test('helper arguments may be missing', () => {
    expect(scan('{{eq a.b c}}')).toEqual({
      references: [
        { path: ['a', 'b'], mustExist: false, line: 1, column: 5 },
        { path: ['c'], mustExist: false, line: 1, column: 9 },
      ],
      helpers: [{ name: 'eq', arguments: 2, line: 1, column: 2 }],
      unsupported: [],
    });
  });

  test('{{foo}} is a reference when foo is not a helper', () => {
    expect(refs('{{foo}}')).toEqual(['foo:true']);
    expect(helperNames('{{foo}}')).toEqual([]);
  });

  test('{{len}} alone is a helper use; {{this.len}} and {{./len}} are lookups', () => {
    expect(scan('{{len}}')).toEqual({
      references: [],
      helpers: [{ name: 'len', arguments: 0, line: 1, column: 2 }],
      unsupported: [],
    });
    expect(refs('{{this.len}}')).toEqual(['len:true']);
    expect(helperNames('{{this.len}}')).toEqual([]);
    expect(refs('{{./len}}')).toEqual(['len:true']);
    expect(helperNames('{{./len}}')).toEqual([]);
  });

  test('the head of a sub-expression is always a helper call, as Handlebars reads it', () => {
    expect(helperNames('{{eq (inputs.a) 1}}')).toEqual(['eq', 'inputs.a']);
    expect(refs('{{eq (inputs.a) 1}}')).toEqual([]);
  });

  test('a call with only hash arguments is a helper use', () => {
    expect(helperNames('{{join sep=inputs.sep}}')).toEqual(['join']);
    expect(refs('{{join sep=inputs.sep}}')).toEqual(['inputs.sep:false']);
  });

  test('an unknown helper with arguments is still reported as a helper use', () => {
    expect(helperNames('{{shout inputs.x}}')).toEqual(['shout']);
    expect(refs('{{shout inputs.x}}')).toEqual(['inputs.x:false']);
  });

  test('a section {{#a.b}}…{{/a.b}} is a strict lookup, like {{a.b}}', () => {
    expect(refs('{{#inputs.flag}}x{{/inputs.flag}}')).toEqual(['inputs.flag:true']);
    expect(refs('{{^inputs.flag}}x{{/inputs.flag}}')).toEqual(['inputs.flag:true']);
    expect(refs('{{#if inputs.flag}}x{{/if}}')).toEqual(['inputs.flag:false']);
  });

  test('places are 1-based lines and 0-based columns', () => {
    const { references } = scan('first line\n  {{inputs.x}} and {{env.Y}}');
    expect(references.map((r) => [r.path.join('.'), r.line, r.column])).toEqual([
      ['inputs.x', 2, 4],
      ['env.Y', 2, 21],
    ]);
  });

  test('literals, comments and data variables are not references', () => {
    expect(scan('{{"text"}}{{42}}{{!-- {{inputs.hidden}} --}}{{! {{inputs.also}} }}')).toEqual({
      references: [],
      helpers: [],
      unsupported: [],
    });
    expect(refs('{{#each inputs.list}}{{@index}}{{@key}}{{@first}}{{/each}}')).toEqual(['inputs.list:false']);
  });
});

describe('scanTemplate: context changes', () => {
  test('paths inside #each are relative to the item', () => {
    expect(refs('{{#each inputs.list}}{{name}}{{this.id}}{{/each}}')).toEqual(['inputs.list:false']);
  });

  test('../ inside #each climbs back to the root', () => {
    expect(refs('{{#each inputs.list}}{{../inputs.repo}}{{name}}{{/each}}')).toEqual([
      'inputs.list:false',
      'inputs.repo:true',
    ]);
  });

  test('nested #each needs ../../ to reach the root', () => {
    expect(refs('{{#each a}}{{#each b}}{{../../inputs.x}}{{../y}}{{z}}{{/each}}{{/each}}')).toEqual([
      'a:false',
      'inputs.x:true',
    ]);
  });

  test('@root paths are from the root at any depth', () => {
    expect(refs('{{#each a}}{{#with b}}{{@root.inputs.repo}}{{/with}}{{/each}}')).toEqual([
      'a:false',
      'inputs.repo:true',
    ]);
  });

  test('#with changes the context', () => {
    expect(refs('{{#with inputs.obj}}{{name}}{{../env.X}}{{/with}}')).toEqual(['inputs.obj:false', 'env.X:true']);
  });

  test('#if and #unless do not change the context', () => {
    expect(refs('{{#if inputs.flag}}{{inputs.name}}{{else}}{{env.HOME}}{{/if}}')).toEqual([
      'inputs.flag:false',
      'inputs.name:true',
      'env.HOME:true',
    ]);
    expect(refs('{{#unless inputs.flag}}{{inputs.name}}{{/unless}}')).toEqual([
      'inputs.flag:false',
      'inputs.name:true',
    ]);
    expect(helperNames('{{#if a}}{{#unless b}}x{{/unless}}{{/if}}')).toEqual(['if', 'unless']);
  });

  test('#if inside #each stays relative to the item', () => {
    expect(refs('{{#each inputs.list}}{{#if ok}}{{name}}{{../inputs.repo}}{{/if}}{{/each}}')).toEqual([
      'inputs.list:false',
      'inputs.repo:true',
    ]);
  });

  test('the {{else}} of #each is in the outer context', () => {
    expect(refs('{{#each inputs.list}}{{name}}{{else}}{{inputs.empty}}{{/each}}')).toEqual([
      'inputs.list:false',
      'inputs.empty:true',
    ]);
  });

  test('block parameters are local names, also in nested blocks', () => {
    expect(refs('{{#each inputs.list as |file i|}}{{file.name}}{{i}}{{/each}}')).toEqual(['inputs.list:false']);
    expect(refs('{{#each xs as |x|}}{{#if x.ok}}{{x.name}}{{/if}}{{/each}}')).toEqual(['xs:false']);
    expect(refs('{{#with inputs.obj as |o|}}{{o.a}}{{/with}}')).toEqual(['inputs.obj:false']);
    // even on a block that keeps the context
    expect(refs('{{#if inputs.flag as |x|}}{{x.name}}{{inputs.y}}{{/if}}')).toEqual([
      'inputs.flag:false',
      'inputs.y:true',
    ]);
  });
});

describe('scanTemplate: arguments', () => {
  test('hash values are scanned', () => {
    expect(refs('{{json inputs.obj indent=inputs.n}}')).toEqual(['inputs.obj:false', 'inputs.n:false']);
  });

  test('sub-expressions are scanned, helpers and arguments alike', () => {
    const source = '{{#if (gt (len steps.a.outputs.files) inputs.max)}}{{steps.a.status}}{{/if}}';
    expect(helperNames(source)).toEqual(['if', 'gt', 'len']);
    expect(refs(source)).toEqual(['steps.a.outputs.files:false', 'inputs.max:false', 'steps.a.status:true']);
  });

  test('hash values that are sub-expressions are scanned', () => {
    expect(helperNames('{{join inputs.list sep=(lower inputs.sep)}}')).toEqual(['join', 'lower']);
    expect(refs('{{join inputs.list sep=(lower inputs.sep)}}')).toEqual(['inputs.list:false', 'inputs.sep:false']);
  });
});

describe('scanTemplate: unsupported features', () => {
  test('partials and decorators are reported with line and column', () => {
    const source = 'text\n  {{> header}}\n{{#> layout}}x{{/layout}}\n {{*deco}}\n{{#*inline "p"}}y{{/inline}}';
    expect(scan(source).unsupported).toEqual([
      { what: 'partials ({{> name}})', line: 2, column: 2 },
      { what: 'partials ({{> name}})', line: 3, column: 0 },
      { what: 'decorators ({{* name}})', line: 4, column: 1 },
      { what: 'decorators ({{* name}})', line: 5, column: 0 },
    ]);
  });

  test('a template without them reports none', () => {
    expect(scan('{{#each inputs.list}}{{this}}{{/each}}').unsupported).toEqual([]);
  });
});

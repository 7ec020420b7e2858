import { describe, expect, it } from '@jest/globals';

import { lintYaml, placesOf } from '../../test-support/lint-yaml.js';
import {
  assertMissingMessage,
  inputMissingDescription,
  missingVersion,
  stepMissingDescription,
  workflowMissingDescription,
} from './description-rules.js';

const STEPS = 'steps:\n  - { id: a, type: shell, run: make, name: Build }\n';

describe('missing-version', () => {
  it('reports a workflow without version: at its name key', () => {
    const findings = lintYaml(`# a comment\nname: w\n${STEPS}`, [missingVersion]);
    expect(placesOf(findings)).toEqual(['2:1 missing-version']);
    expect(findings[0]?.message).toBe('the workflow has no `version:`; add `version: 1`');
  });

  it('stays quiet when version: 1 is there', () => {
    expect(lintYaml(`version: 1\nname: w\n${STEPS}`, [missingVersion])).toEqual([]);
  });
});

describe('workflow-missing-description', () => {
  it('reports a missing or blank description at the name', () => {
    expect(placesOf(lintYaml(`name: w\n${STEPS}`, [workflowMissingDescription]))).toEqual([
      '1:7 workflow-missing-description',
    ]);
    expect(lintYaml(`name: w\ndescription: '  '\n${STEPS}`, [workflowMissingDescription])).toHaveLength(1);
  });

  it('stays quiet with a description', () => {
    expect(lintYaml(`name: w\ndescription: Builds things\n${STEPS}`, [workflowMissingDescription])).toEqual([]);
  });
});

describe('step-missing-description', () => {
  it('reports each step with neither name nor description, at its id', () => {
    const yaml =
      'name: w\nsteps:\n  - id: a\n    type: shell\n    run: make\n  - { id: b, type: shell, run: make, name: B }\n';
    const findings = lintYaml(yaml, [stepMissingDescription]);
    expect(placesOf(findings)).toEqual(['3:9 step-missing-description']);
    expect(findings[0]).toMatchObject({ stepId: 'a', message: 'step "a" has neither a name nor a description' });
  });

  it('stays quiet when a step has a name or a description', () => {
    const yaml =
      'name: w\nsteps:\n  - { id: a, type: shell, run: make, description: Builds }\n' +
      '  - { id: b, type: shell, run: make, name: B }\n';
    expect(lintYaml(yaml, [stepMissingDescription])).toEqual([]);
  });
});

describe('input-missing-description', () => {
  it('reports each input without a description, at its key', () => {
    const yaml = `name: w\ninputs:\n  repo: { type: string }\n  target: { type: number, description: Goal }\n${STEPS}`;
    const findings = lintYaml(yaml, [inputMissingDescription]);
    expect(placesOf(findings)).toEqual(['3:3 input-missing-description']);
    expect(findings[0]?.message).toBe('input "repo" has no description');
  });

  it('stays quiet when every input is described', () => {
    const yaml = `name: w\ninputs:\n  repo: { type: string, description: owner/name }\n${STEPS}`;
    expect(lintYaml(yaml, [inputMissingDescription])).toEqual([]);
  });
});

describe('assert-missing-message', () => {
  it('reports an assert step without a message, at its that', () => {
    const yaml = "name: w\nsteps:\n  - id: check\n    type: assert\n    that: '{{eq 1 1}}'\n";
    const findings = lintYaml(yaml, [assertMissingMessage]);
    expect(placesOf(findings)).toEqual(['5:11 assert-missing-message']);
    expect(findings[0]?.stepId).toBe('check');
  });

  it('stays quiet when the assert has a message, and on other step types', () => {
    const yaml = `name: w\nsteps:\n  - { id: check, type: assert, that: 'true', message: why }\n  - { id: a, type: shell, run: make }\n`;
    expect(lintYaml(yaml, [assertMissingMessage])).toEqual([]);
  });
});

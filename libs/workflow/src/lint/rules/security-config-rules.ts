import type { ValuePath } from '../../source/source-positions.js';
import type { LintContext, LintRule } from '../lint-rule.js';

export const CLAUDE_CODE_FULL_PROFILE: LintRule = {
  id: 'claude-code-full-profile',
  category: 'security',
  severity: 'warning',
  summary: 'A claude_code step with the `full` profile: every tool, no permission checks.',
  docs: {
    why:
      '`full` allows every tool in `bypassPermissions` mode: any shell command, web fetches, edits anywhere ' +
      "the sandbox lets it write. The agent's commands reach the network and see the step's environment, " +
      'the model credentials included, so an instruction planted in any file, issue or page the agent reads ' +
      'can send the workspace or the key away. The sandbox still keeps writes inside the workspace.',
    fix:
      'Use the narrowest profile that does the job (`read-only`, `edit-code`, `run-tests`) or a profile of ' +
      'your own in `FLOWLINE_PROFILES_FILE` that allows the commands the task needs.',
    bad: [
      'steps:',
      '  - id: fix',
      '    type: claude_code',
      '    prompt: Fix the failing tests.',
      '    profile: full',
    ].join('\n'),
    good: [
      'steps:',
      '  - id: fix',
      '    type: claude_code',
      '    prompt: Fix the failing tests.',
      '    profile: run-tests',
    ].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      if (step.type !== 'claude_code' || step.profile !== 'full') return;
      context.report({
        message: `step "${step.id}": profile full lets the agent run any command with network access and no permission checks; use the narrowest profile that does the job`,
        path: ['steps', index, 'profile'],
        stepId: step.id,
      });
    });
  },
};

/** Tool rules that let an agent read the web. */
const WEB_TOOLS = /^(?:WebFetch|WebSearch)(?:\(|$)/;

export const CLAUDE_CODE_NETWORK: LintRule = {
  id: 'claude-code-network',
  category: 'security',
  severity: 'warning',
  summary:
    'A claude_code step that asks for network access: its own `sandbox.network: true`, or `WebFetch`/`WebSearch` in `allowed_tools`.',
  docs: {
    why:
      'An agent that reads the web can be steered by what it reads (prompt injection), and one whose commands ' +
      "reach the network can send what it finds, the workspace or the step's credentials, anywhere. A " +
      'claude_code step always reaches the network, since the CLI must reach the model, so `sandbox.network: ' +
      'true` grants it nothing more: what it says is that the author expects the agent to go online, which ' +
      'is the decision this rule asks you to reconsider. `sandbox.network` inherited from `defaults:` is not ' +
      'reported on claude_code steps (it is there for shell steps; `network-without-comment` covers it). ' +
      'Built-in profiles other than `full` deny `WebFetch` and `WebSearch`.',
    fix:
      'Fetch what the agent needs in a shell step before it (where the network use is visible and ' +
      'reviewable) and hand it over in the prompt or a file; drop `sandbox.network` from the step.',
    bad: [
      'inputs: { url: { type: string } }',
      'steps:',
      '  - id: research',
      '    type: claude_code',
      '    prompt: Summarise the changelog at {{inputs.url}}.',
      '    sandbox: { network: true } # reads the changelog',
    ].join('\n'),
    good: [
      'inputs: { url: { type: string } }',
      'steps:',
      '  - id: fetch',
      '    type: shell',
      '    sandbox: { network: true } # downloads the changelog',
      "    env: { URL: '{{inputs.url}}' }",
      '    run: curl -fsSL -o CHANGELOG.txt "$URL"',
      '  - id: research',
      '    type: claude_code',
      '    needs: [fetch]',
      '    prompt: Summarise CHANGELOG.txt.',
    ].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      if (step.type !== 'claude_code') return;
      const at = ['steps', index];
      if (step.sandbox?.network === true) {
        const message = `step "${step.id}": sandbox.network: true on a claude_code step: an agent that goes online can be steered by what it reads and can send the workspace away; fetch what it needs in a shell step before it`;
        context.report({ message, path: [...at, 'sandbox', 'network'], stepId: step.id });
      }
      (step.allowed_tools ?? []).forEach((tool, i) => {
        if (!WEB_TOOLS.test(tool)) return;
        const message = `step "${step.id}": allowed_tools lets the agent use ${tool}: what it reads on the web can steer it; fetch the pages in a shell step before it`;
        context.report({ message, path: [...at, 'allowed_tools', i], stepId: step.id });
      });
    });
  },
};

/** A comment explains when it says something: a bare `#` or a divider does not. */
const EXPLAINS = /[A-Za-z]{2}/;

export const NETWORK_WITHOUT_COMMENT: LintRule = {
  id: 'network-without-comment',
  category: 'security',
  severity: 'warning',
  summary: '`sandbox.network: true` (on a step or in `defaults:`) with no comment saying why.',
  docs: {
    why:
      'Steps run without a network unless they ask, so that a script, a dependency or an agent cannot ' +
      'send data out or fetch code in. Each exception should be deliberate and reviewable: a comment says ' +
      'what the step reaches and why. It counts at the end of the `network: true` line or of the `sandbox:` ' +
      'line, or as whole-line comments right above either, and must hold a word (a bare `# ----` does ' +
      'not); a `# flowline-lint-…` directive counts only through its reason after `--`. Steps that share ' +
      'an anchored sandbox (`sandbox: *net`) are explained, and reported, once at the anchor. In ' +
      '`defaults:` the setting opens the network to every step, which deserves the comment most.',
    fix: 'Say why next to it (`sandbox: { network: true } # npm ci fetches packages`), or remove it.',
    bad: ['steps:', '  - id: deps', '    type: shell', '    run: npm ci', '    sandbox: { network: true }'].join('\n'),
    good: [
      'steps:',
      '  - id: deps',
      '    type: shell',
      '    run: npm ci',
      '    sandbox: { network: true } # npm ci downloads the packages',
    ].join('\n'),
  },
  check(context) {
    const places: { path: ValuePath; stepId?: string; where: string }[] = [];
    if (context.definition.defaults?.sandbox?.network === true) {
      places.push({ path: ['defaults', 'sandbox', 'network'], where: 'defaults' });
    }
    context.definition.steps.forEach((step, index) => {
      if (step.sandbox?.network !== true) return;
      places.push({ path: ['steps', index, 'sandbox', 'network'], stepId: step.id, where: `step "${step.id}"` });
    });
    // Steps sharing one anchored `sandbox` (`sandbox: *net`) are one place to explain, reported once.
    const reported = new Set<string>();
    for (const place of places) {
      if (isExplained(context, place.path)) continue;
      const { line, column } = context.positions.valueSpan(place.path);
      if (reported.has(`${line}:${column}`)) continue;
      reported.add(`${line}:${column}`);
      reportUnexplained(context, place);
    }
  },
};

function isExplained(context: LintContext, path: ValuePath): boolean {
  const comments = [...context.commentsNear(path), ...commentsAtKey(context, path.slice(0, -1))];
  return comments.some((comment) => EXPLAINS.test(explanation(comment)));
}

function reportUnexplained(context: LintContext, place: { path: ValuePath; stepId?: string; where: string }): void {
  context.report({
    message: `${place.where}: sandbox.network: true without a comment saying what it reaches and why; steps run offline unless they need otherwise`,
    path: place.path,
    ...(place.stepId === undefined ? {} : { stepId: place.stepId }),
  });
}

/**
 * The comments around the `sandbox:` key (its line and the comment lines just
 * above), for the block form where the explanation sits above `sandbox:`
 * rather than above `network: true`.
 */
function commentsAtKey(context: LintContext, path: ValuePath): string[] {
  const line = context.positions.keySpan(path).line;
  const comments = [/ #(.*)$/.exec(context.lines[line - 1] ?? '')?.[1] ?? ''];
  for (let n = line - 2; n >= 0 && /^\s*#/.test(context.lines[n] ?? ''); n--) comments.push(context.lines[n]!);
  return comments.map((comment) => comment.replace(/^\s*#/, '').trim());
}

/** A suppression comment explains only through its reason (`-- why`), not by being there. */
function explanation(comment: string): string {
  if (!comment.startsWith('flowline-lint-')) return comment;
  const reason = comment.indexOf('--');
  return reason === -1 ? '' : comment.slice(reason + 2);
}

/** Hosts on this machine: plain http to them never crosses a network. */
const LOOPBACK = /^(?:localhost|[a-z0-9-]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export const PLAIN_HTTP_WEBHOOK: LintRule = {
  id: 'plain-http-webhook',
  category: 'security',
  severity: 'warning',
  summary: 'A webhook `url` with `http://` to a host other than this machine.',
  docs: {
    why:
      'Over plain http, the body, the headers (tokens included) and the response travel readable and ' +
      'changeable by anyone on the way. Loopback hosts (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`) ' +
      'never leave the machine and are not reported. A URL that is a template from its start ' +
      '(`{{inputs.url}}`) cannot be judged and is not reported; `http://{{inputs.host}}/…` is.',
    fix: 'Use `https://`.',
    bad: ['steps:', '  - id: notify', '    type: webhook', '    url: http://hooks.example.com/deploy'].join('\n'),
    good: ['steps:', '  - id: notify', '    type: webhook', '    url: https://hooks.example.com/deploy'].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      if (step.type !== 'webhook' || !/^http:\/\//i.test(step.url)) return;
      const host = /^http:\/\/(\[[^\]]*\]|[^/?#:]*)/i.exec(step.url)?.[1] ?? '';
      if (LOOPBACK.test(host)) return;
      const path = ['steps', index, 'url'];
      context.report({
        message: `step "${step.id}": url uses plain http, so the request (headers and tokens included) and the response can be read and changed on the way; use https`,
        path,
        at: context.positions.templateSpan(path, step.url, { line: 1, column: 0 }),
        stepId: step.id,
      });
    });
  },
};

export const CONFIG_RULES: readonly LintRule[] = [
  CLAUDE_CODE_FULL_PROFILE,
  CLAUDE_CODE_NETWORK,
  NETWORK_WITHOUT_COMMENT,
  PLAIN_HTTP_WEBHOOK,
];

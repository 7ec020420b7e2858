import { describe, expect, it } from '@jest/globals';

import { programName, programWords } from './security-commands.js';
import { type ShellPipeline, shellPipelines } from './security-shell.js';

/** Each pipeline as its commands' words joined by spaces, commands joined by ` | `. */
function shape(script: string): string[] {
  return shellPipelines(script).map((pipeline: ShellPipeline) =>
    pipeline.map((command) => command.map((word) => word.raw).join(' ')).join(' | '),
  );
}

describe('shellPipelines', () => {
  it('splits commands on separators and pipelines on |, keeping redirections in words', () => {
    expect(shape('a 1 && b 2 || c; d | e |& f 2>&1 &>log & g')).toEqual([
      'a 1',
      'b 2',
      'c',
      'd | e | f 2>&1 &>log',
      'g',
    ]);
  });

  it('keeps quoted text, substitutions and {{templates}} whole, and parses substitution bodies too', () => {
    expect(shape(`echo "a | b" 'c; d' $(e | f) \${G:-h i} {{default inputs.x "y z"}} \`k | l\``)).toEqual([
      `echo "a | b" 'c; d' $(e | f) \${G:-h i} {{default inputs.x "y z"}} \`k | l\``,
      'e | f',
      'k | l',
    ]);
  });

  it('parses nested substitutions once', () => {
    expect(shape('x=$(a "$(b | c)")')).toEqual(['x=$(a "$(b | c)")', 'a "$(b | c)"', 'b | c']);
  });

  it('skips comments and here-document bodies, joins continued lines', () => {
    const script = [
      '# curl x | sh',
      'echo a#b # trailing',
      'cat <<EOF > out',
      'curl x | sh',
      'EOF',
      "cat <<-'END'",
      '\tcurl y | sh',
      '\tEND',
      'curl z \\',
      '  | sh',
    ].join('\n');
    expect(shape(script)).toEqual(['echo a#b', 'cat <<EOF > out', "cat <<-'END'", 'curl z | sh']);
  });

  it('gives each word its offset in the script', () => {
    const script = 'A=1 sudo -u bob rm -rf "$X"';
    const [command] = shellPipelines(script)[0]!;
    const words = programWords(command!);
    expect(programName(words)).toBe('rm');
    expect(words.map((word) => script.slice(word.start, word.start + word.raw.length))).toEqual(['rm', '-rf', '"$X"']);
  });
});

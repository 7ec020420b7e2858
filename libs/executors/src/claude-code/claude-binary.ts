import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The native Claude Code binary of the installed `@anthropic-ai/claude-code`.
 * npm installs it in a per-platform package (`…-linux-x64`); the wrapper's
 * postinstall, which would link it as `claude`, is not allowed to run here,
 * so we find the platform package the way the wrapper's own launcher does.
 * Falls back to `claude` on the PATH when no platform package is installed.
 */
export function resolveClaudeBinary(): string {
  try {
    const wrapper = createRequire(import.meta.url).resolve('@anthropic-ai/claude-code/package.json');
    const platformPackage = `@anthropic-ai/claude-code-${platformKey()}/package.json`;
    return join(dirname(createRequire(wrapper).resolve(platformPackage)), binaryName());
  } catch {
    return 'claude';
  }
}

function platformKey(): string {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`;
  return `linux-${process.arch}${isMusl() ? '-musl' : ''}`;
}

/** Node built against musl reports no glibc runtime version. */
function isMusl(): boolean {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report.header?.glibcVersionRuntime === undefined;
}

function binaryName(): string {
  return process.platform === 'win32' ? 'claude.exe' : 'claude';
}

// `flowline` on this repository's TypeScript source, for tests that need the
// command as a process without a build: run with
// `node --conditions=@flowline/source --import <store-fs register-swc.mjs>`.
import { main } from '../../src/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});

// A second Flowline process for the cross-process tests, driven line by line
// over stdin; it answers on stdout. Commands:
//   update <version>   update the run from that version → "won" | "lost" | "error <message>"
//   hold-lock          take the run's lock and keep it → "locked" (then wait to be killed)
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const { FileRunStateStore } = await import('@flowline/store-fs');
const { withFileLock } = await import('../file-lock.js');

const [stateDir, runId] = process.argv.slice(2);
const store = new FileRunStateStore(stateDir);
const say = (line) => process.stdout.write(`${line}\n`);

async function update(version) {
  try {
    await store.update({ runId, version }, { owner: `child-${process.pid}` });
    say('won');
  } catch (error) {
    say(error?.name === 'VersionConflictError' ? 'lost' : `error ${error?.message}`);
  }
}

say('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.split(' ');
  if (command === 'update') await update(Number(argument));
  if (command === 'hold-lock') {
    await withFileLock(join(stateDir, 'runs', runId, '.lock'), 10_000, () => {
      say('locked');
      return new Promise(() => {});
    });
  }
}

// A second process on a test's queues, so a test can SIGKILL it in the
// middle of a job (a real crash: no close, no lock released). Arguments:
// a role and the JSON options of QueueHarness.childConfig(). It prints
// "ready", then one line per delivery, and holds every delivery until killed.
//   consumer  takes `shell` jobs one at a time → "took <job id>"
//   reports   consumes reports                 → "handling <run id> <attempt>"
import { BullmqStepConsumer } from '../bullmq-step-consumer.js';
import { BullmqStepDispatcher } from '../bullmq-step-dispatcher.js';
import { stepJobId } from '../job-id.js';

const [role = '', json = '{}'] = process.argv.slice(2);
const options = JSON.parse(json) as Parameters<typeof BullmqStepDispatcher.create>[0];
const say = (line: string) => process.stdout.write(`${line}\n`);
// Never settles; the Redis connections keep the process alive.
const hold = () => new Promise<void>(() => {});

if (role === 'consumer') {
  const consumer = await BullmqStepConsumer.create({ ...options, workerId: `child-${process.pid}` });
  consumer.consume(['shell'], 1, async (job) => {
    say(`took ${stepJobId(job)}`);
    await hold();
  });
} else if (role === 'reports') {
  const dispatcher = await BullmqStepDispatcher.create(options);
  dispatcher.consumeReports(async (report) => {
    say(`handling ${report.job.runId} ${report.job.attempt}`);
    await hold();
  });
} else {
  throw new Error(`unknown role ${role}`);
}
say('ready');

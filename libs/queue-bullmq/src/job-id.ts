import type { StepJob } from '@flowline/ports';

/** Kept as they are; anything else is %-escaped, so `|`, `[`, `]` and `%` in an id are always structure. */
const UNSAFE = /[^A-Za-z0-9_.-]/gu;

/**
 * The BullMQ job id of an attempt: `<runId>|<step>[<item>]|<attempt>`, e.g.
 * `r-42|build[3]|2`, then `|g<n>` after the run's n-th retry. Deterministic, so enqueueing the same attempt twice
 * finds the job already there; readable in bull-board; and never holding a
 * `:` (BullMQ forbids it: its Redis keys use `:` as separator). Run and step
 * ids are escaped like URL components (with `%`, `|` and the rest escaped
 * too), so two different attempts can never share an id.
 */
export function stepJobId(job: Pick<StepJob, 'runId' | 'key' | 'attempt' | 'generation'>): string {
  const item = job.key.item === undefined ? '' : `[${job.key.item}]`;
  // After a retry attempts count from 1 again; the generation keeps those ids apart from the retained jobs before it.
  const generation = job.generation === 0 ? '' : `|g${job.generation}`;
  return `${escapeIdPart(job.runId)}|${escapeIdPart(job.key.step)}${item}|${job.attempt}${generation}`;
}

function escapeIdPart(text: string): string {
  return text.replace(UNSAFE, (char) =>
    Array.from(Buffer.from(char, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

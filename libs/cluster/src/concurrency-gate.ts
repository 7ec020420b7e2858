import type { RunAdmission, RunRecord, RunStateStore } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';

/** A run's concurrency group: the workflow's rendered `concurrency.key` and its limit. */
export interface ConcurrencyGroup {
  readonly group: string;
  readonly limit: number;
}

/**
 * The group a new run belongs to, or undefined for a workflow without
 * `concurrency`. The key reads only inputs and workflow (validation checks
 * that), so it is rendered once, at submit, and stored on the record.
 * Groups are global, as in GitHub Actions: two workflows whose keys render
 * alike share a group; put `{{workflow.name}}` in the key to keep them apart.
 */
export function concurrencyOf(
  workflow: CompiledWorkflow,
  runId: string,
  inputs: Readonly<Record<string, unknown>>,
): ConcurrencyGroup | undefined {
  const spec = workflow.concurrency;
  if (spec === undefined) return undefined;
  const group = spec.key.isStatic
    ? spec.key.source
    : spec.key.render({
        inputs,
        env: {},
        secrets: {},
        steps: {},
        run: { id: runId },
        workflow: { name: workflow.name },
      });
  return { group, limit: spec.limit };
}

/**
 * Admission for runs with a concurrency group, over the atomic RunAdmission
 * (Redis), with the repairs a crash can make necessary: a coordinator that
 * died after a run ended but before releasing its slot leaves a holder
 * whose run is finished, and the line behind it would wait forever.
 */
export class ConcurrencyGate {
  constructor(
    private readonly admission: RunAdmission,
    private readonly runs: RunStateStore,
  ) {}

  /**
   * Gives the run a slot or puts it in line (first come, first served).
   * Returns every run that holds a slot now and must be started: this one
   * when admitted, and any that a repair let in.
   */
  async enter(record: RunRecord): Promise<string[]> {
    const { concurrency } = record;
    if (concurrency === undefined) return [record.runId];
    if (await this.admission.admit(concurrency.group, concurrency.limit, record.runId)) return [record.runId];
    return this.releaseFinishedHolders(concurrency);
  }

  /** Frees a finished or cancelled run's slot; returns the runs admitted in its place, oldest first. */
  async release(record: RunRecord): Promise<string[]> {
    const { concurrency } = record;
    if (concurrency === undefined) return [];
    const admitted = await this.admission.release(concurrency.group, concurrency.limit, record.runId);
    return [...admitted, ...(await this.releaseFinishedHolders(concurrency))];
  }

  /** Releases holders whose runs have ended (a slot a crashed coordinator never gave back). */
  private async releaseFinishedHolders({ group, limit }: ConcurrencyGroup): Promise<string[]> {
    const { holders } = await this.admission.inspect(group);
    const admitted: string[] = [];
    for (const runId of holders) {
      const status = (await this.runs.get(runId))?.status;
      if (status === 'running' || status === 'queued') continue;
      admitted.push(...(await this.admission.release(group, limit, runId)));
    }
    return admitted;
  }
}

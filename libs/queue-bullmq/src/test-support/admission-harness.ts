import { RedisRunAdmission } from '../redis-run-admission.js';
import { collectingLog, uniquePrefix } from './queue-fixtures.js';

/**
 * The gates of one test: a prefix of its own, any number of instances on it
 * (each its own connection, like that many coordinators), all closed after.
 */
export class AdmissionHarness {
  readonly prefix = uniquePrefix();
  private readonly opened: RedisRunAdmission[] = [];
  private readonly logged = collectingLog();

  constructor(
    private readonly redisUrl: string,
    private readonly target: { readonly cluster?: boolean } = {},
  ) {}

  async gate(): Promise<RedisRunAdmission> {
    const admission = await RedisRunAdmission.create({
      redisUrl: this.redisUrl,
      prefix: this.prefix,
      log: this.logged.log,
      ...this.target,
    });
    this.opened.push(admission);
    return admission;
  }

  async closeAll(): Promise<void> {
    for (const admission of this.opened.splice(0)) await admission.close();
  }
}

export const runIds = (count: number, name = 'r'): string[] => Array.from({ length: count }, (_, i) => `${name}${i}`);

/** Admits one run after another, so their arrival order is the array's. */
export async function admitInTurn(
  admission: RedisRunAdmission,
  group: string,
  limit: number,
  ids: readonly string[],
): Promise<boolean[]> {
  const answers: boolean[] = [];
  for (const id of ids) answers.push(await admission.admit(group, limit, id));
  return answers;
}

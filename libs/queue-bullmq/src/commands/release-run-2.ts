/*
  releaseRun: frees a run's slot in its concurrency group, or takes it out of
  the line, then gives the free slots to the oldest waiting runs.

  KEYS[1] holders  ZSET  run id -> arrival ticket: the runs holding a slot
  KEYS[2] line     ZSET  run id -> arrival ticket: the runs waiting, oldest first

  ARGV[1] limit    integer >= 1: slots in the group
  ARGV[2] run id

  Returns:
    the run ids given a slot by this call, oldest first (empty when none)
*/
import { defineScript } from '../redis-script.js';

/** The release half of the concurrency gate (see the block above and docs/queue.md). */
export const RELEASE_RUN = defineScript(
  'releaseRun',
  2,
  `
local holders, line = KEYS[1], KEYS[2]
local limit = tonumber(ARGV[1])
local runId = ARGV[2]

redis.call('ZREM', holders, runId)
redis.call('ZREM', line, runId)

-- Filled even when runId held nothing (a repeated release, a larger limit than
-- before), so no run is ever left waiting beside a free slot.
local admitted = {}
local free = limit - redis.call('ZCARD', holders)
if free > 0 then
  -- ZPOPMIN answers member, score, member, score, ... lowest ticket first.
  local popped = redis.call('ZPOPMIN', line, free)
  for i = 1, #popped, 2 do
    redis.call('ZADD', holders, popped[i + 1], popped[i])
    admitted[#admitted + 1] = popped[i]
  end
end
return admitted
`,
);

/*
  admitRun: gives a run a slot in its concurrency group, or a place in its line.

  KEYS[1] holders  ZSET    run id -> arrival ticket: the runs holding a slot
  KEYS[2] line     ZSET    run id -> arrival ticket: the runs waiting, oldest first
  KEYS[3] tickets  STRING  counter, INCR'd once per run joining any group's line

  ARGV[1] limit    integer >= 1: slots in the group
  ARGV[2] run id

  Returns:
    1  the run holds a slot (it did already, or it got one now)
    0  the run waits in line (in the place it had, or at the end if it was new)
*/
import { defineScript } from '../redis-script.js';

/** The admission half of the concurrency gate (see the block above and docs/queue.md). */
export const ADMIT_RUN = defineScript(
  'admitRun',
  3,
  `
local holders, line, tickets = KEYS[1], KEYS[2], KEYS[3]
local limit = tonumber(ARGV[1])
local runId = ARGV[2]

if redis.call('ZSCORE', holders, runId) then
  return 1
end

-- A run already waiting keeps its ticket, so asking again never loses its place.
local ticket = redis.call('ZSCORE', line, runId)
if not ticket then
  ticket = redis.call('INCR', tickets)
  redis.call('ZADD', line, ticket, runId)
end

-- Free slots go to the front of the line, not to whoever asks: with one limit
-- per group the line is empty whenever a slot is free, but a caller with a
-- larger limit must not overtake runs queued under a smaller one.
local free = limit - redis.call('ZCARD', holders)
if redis.call('ZRANK', line, runId) < free then
  redis.call('ZREM', line, runId)
  redis.call('ZADD', holders, ticket, runId)
  return 1
end
return 0
`,
);

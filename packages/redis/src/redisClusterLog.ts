import type { ClusterLog, ClusterLogPage } from '@tidings/protocol';
import type { RedisLink } from './redisConnection.js';
import { redisScript } from './redisScript.js';

// Keeps each message in the log and publishes it framed with its entry id, in one step: subscribers get
// the messages in the log's order. KEYS[1] the log; ARGV: channel, length kept, then the messages.
// Answers each message's receivers.
const PUBLISH_KEPT = redisScript(`
local receivers = {}
for i = 3, #ARGV do
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[i])
  receivers[#receivers + 1] = redis.call('PUBLISH', ARGV[1], id .. '|' .. ARGV[i])
end
return receivers`);

/** Messages one script call keeps and publishes at most. */
const MAX_BATCH = 256;

/** A message waiting for the next batch. */
interface Pending {
  readonly channel: string;
  readonly message: string;
  readonly resolve: (receivers: number) => void;
  readonly reject: (error: unknown) => void;
}

// Entries after ARGV[1] (at most ARGV[2]), and whether trimming may have dropped one after it: it
// dropped some (more were added than are kept) and the oldest kept is newer than ARGV[1]. (Trimming
// leaves max-deleted-entry-id alone, so that is the best the stream tells.) KEYS[1] the log.
// Answers {gap, id1, message1, id2, message2, ...}.
const READ = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local field = {}
for i = 1, #info, 2 do field[info[i]] = info[i + 1] end
local function parts(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
local out = {0}
if field['entries-added'] > field['length'] then
  local fm, fn = parts(field['recorded-first-entry-id'])
  local am, an = parts(ARGV[1])
  if fm > am or (fm == am and fn > an) then out[1] = 1 end
end
local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
for _, entry in ipairs(entries) do
  out[#out + 1] = entry[1]
  out[#out + 1] = entry[2][2]
end
return out`);

/** How a message crosses Redis: behind its log entry id, or behind nothing; either way a `|` ends the frame. */
export const frame = (message: string, entry = ''): string => `${entry}|${message}`;

/** The message a subscriber got, and its entry id when it came through the log. */
export function unframe(raw: string): { readonly message: string; readonly entry: string | undefined } {
  // An entry id is digits and a dash: the first `|` is the frame's.
  const bar = raw.indexOf('|');
  return { message: raw.slice(bar + 1), entry: bar > 0 ? raw.slice(0, bar) : undefined };
}

/** A channel's log: a Redis Stream beside it. */
const logKey = (channel: string): string => `${channel}:log`;

/**
 * The bus's log, a Redis Stream per channel (PROTOCOL.md §shared-sessions), bounded
 * by count (XADD MAXLEN ~, so Redis trims whole blocks: it keeps at least
 * `length`). A read from before what it keeps says so (`gap`; Redis 7's
 * XINFO fields tell it).
 */
export function redisClusterLog(publisher: RedisLink, length: number): ClusterLog {
  // What is published in one turn of the event loop goes in one script call per channel, in order: a burst
  // of notifications pays Redis one call, not one each.
  let pending: Pending[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const all = pending;
    pending = [];
    for (let start = 0; start < all.length; ) {
      const channel = all[start]!.channel;
      let end = start + 1;
      while (end < all.length && end - start < MAX_BATCH && all[end]!.channel === channel) end++;
      const batch = all.slice(start, end);
      start = end;
      const args = [channel, String(length), ...batch.map((p) => p.message)];
      publisher.call('publish to the log', (client) => PUBLISH_KEPT(client, [logKey(channel)], args)).then(
        (receivers) => batch.forEach((p, i) => p.resolve(Number((receivers as number[])[i] ?? 0))),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      );
    }
  };
  return {
    publish(channel, message) {
      return new Promise<number>((resolve, reject) => {
        pending.push({ channel, message, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async read(channel, after, count): Promise<ClusterLogPage> {
      const reply = (await publisher.call('read the log', (client) => READ(client, [logKey(channel)], [after, String(count)]))) as Array<number | string>;
      const entries: Array<{ id: string; message: string }> = [];
      for (let i = 1; i + 1 < reply.length; i += 2) entries.push({ id: String(reply[i]), message: String(reply[i + 1]) });
      return { entries, gap: reply[0] === 1 };
    },
  };
}

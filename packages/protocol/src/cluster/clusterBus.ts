/**
 * How the nodes of one deployment reach each other (DESIGN.md §8). A server
 * given a bus publishes every server-initiated notification once and
 * delivers, on each node, what the bus brings to that node's own recipients.
 * One process needs none: without a bus nothing is published and nothing is
 * paid. `@tidings/redis` implements it on Redis pub/sub; tests use
 * {@link createMemoryClusterBus}.
 *
 * Messages are opaque strings; the server owns their format and the channel
 * names (all under one prefix). A bus delivers a message to every
 * subscriber of its channel, the publishing node's own subscribers included,
 * in publish order per publisher; the server skips what it published itself.
 */
export interface ClusterBus {
  /**
   * Sends one message on a channel. Resolves with how many nodes' subscriptions
   * received it (Redis `PUBLISH`'s answer); rejects when the bus cannot send
   * now (unreachable), so the caller learns it was not delivered.
   */
  publish(channel: string, message: string): Promise<number>;
  /**
   * Calls `listener` with every message published on `channel` from now on.
   * Resolves once the subscription is active, with a function that ends it.
   */
  subscribe(channel: string, listener: (message: string, entry?: string) => void): Promise<() => Promise<void>>;
  /**
   * A bounded log of what the nodes published with {@link ClusterLog.publish}:
   * a node that takes over a shared legacy session whose home died delivers
   * from it what the session missed meanwhile (PROTOCOL.md §shared-sessions).
   * Without one, those notifications are lost.
   */
  readonly log?: ClusterLog;
}

/**
 * A log beside the bus. Its entry ids are `<ms>-<n>` (a Redis Stream id: the
 * log's clock in ms, then a counter), ordered by {@link compareEntries}, in
 * the order subscribers receive the messages.
 */
export interface ClusterLog {
  /** Keeps `message` in the channel's log and publishes it, in one step; subscribers get it with its entry id. Resolves the receivers. */
  publish(channel: string, message: string): Promise<number>;
  /** Up to `count` entries of the channel's log after the entry `after`, oldest first; `gap` when its bound dropped some of those. */
  read(channel: string, after: string, count: number): Promise<ClusterLogPage>;
}

/** One page of {@link ClusterLog.read}. */
export interface ClusterLogPage {
  readonly entries: ReadonlyArray<{ readonly id: string; readonly message: string }>;
  readonly gap: boolean;
}

/** Orders two log entry ids (`<ms>-<n>`): negative when `a` is older. */
export function compareEntries(a: string, b: string): number {
  const [am, an] = splitEntry(a);
  const [bm, bn] = splitEntry(b);
  return am - bm || an - bn;
}

const splitEntry = (id: string): [number, number] => {
  const dash = id.indexOf('-');
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
};

/** Options of {@link createMemoryClusterBus}. */
export interface MemoryClusterBusOptions {
  /** Entries its log keeps at least; the oldest go first, an eighth of it at a time. @default 10_000 */
  readonly logLength?: number;
  /** Time source of entry ids. @default Date.now */
  readonly now?: () => number;
}

/**
 * An in-process bus: nodes created with the same instance share it. For
 * tests and for several servers in one process; it delivers on the next
 * microtask, as a network bus would deliver later, never synchronously.
 */
export function createMemoryClusterBus(options: MemoryClusterBusOptions = {}): ClusterBus {
  const channels = new Map<string, Set<(message: string, entry?: string) => void>>();
  const now = options.now ?? Date.now;
  const logLength = Math.max(1, options.logLength ?? 10_000);
  /** Per channel: its entries, and the newest one its bound dropped. */
  const logs = new Map<string, { readonly kept: Array<{ readonly id: string; readonly message: string }>; dropped: string | undefined }>();
  let last: [number, number] = [0, 0];
  const send = (channel: string, message: string, entry?: string): number => {
    const listeners = channels.get(channel);
    if (!listeners) return 0;
    const targets = [...listeners];
    queueMicrotask(() => {
      for (const listener of targets) listener(message, entry);
    });
    return targets.length;
  };
  const nextId = (): string => {
    const ms = Math.max(now(), last[0]);
    last = [ms, ms === last[0] ? last[1] + 1 : 0];
    return `${last[0]}-${last[1]}`;
  };
  const log: ClusterLog = {
    async publish(channel, message) {
      const id = nextId();
      let log = logs.get(channel);
      if (!log) logs.set(channel, (log = { kept: [], dropped: undefined }));
      log.kept.push({ id, message });
      // Trimmed in blocks, as Redis trims with MAXLEN ~: one shift of the array per many publishes, not one each.
      if (log.kept.length > logLength + Math.ceil(logLength / 8)) log.dropped = log.kept.splice(0, log.kept.length - logLength).at(-1)!.id;
      return send(channel, message, id);
    },
    async read(channel, after, count) {
      const log = logs.get(channel);
      const entries = (log?.kept ?? []).filter((entry) => compareEntries(entry.id, after) > 0).slice(0, count);
      return { entries, gap: log?.dropped !== undefined && compareEntries(log.dropped, after) > 0 };
    },
  };
  return {
    log,
    async publish(channel, message) {
      return send(channel, message);
    },
    async subscribe(channel, listener) {
      // Wrapped so one listener subscribed twice counts and ends twice, as two Redis subscriptions would.
      const own = (message: string, entry?: string): void => listener(message, entry);
      let listeners = channels.get(channel);
      if (!listeners) channels.set(channel, (listeners = new Set()));
      listeners.add(own);
      return async () => {
        listeners.delete(own);
        if (listeners.size === 0 && channels.get(channel) === listeners) channels.delete(channel);
      };
    },
  };
}

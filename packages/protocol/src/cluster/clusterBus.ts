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
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
}

/**
 * An in-process bus: nodes created with the same instance share it. For
 * tests and for several servers in one process; it delivers on the next
 * microtask, as a network bus would deliver later, never synchronously.
 */
export function createMemoryClusterBus(): ClusterBus {
  const channels = new Map<string, Set<(message: string) => void>>();
  return {
    async publish(channel, message) {
      const listeners = channels.get(channel);
      if (!listeners) return 0;
      const targets = [...listeners];
      queueMicrotask(() => {
        for (const listener of targets) listener(message);
      });
      return targets.length;
    },
    async subscribe(channel, listener) {
      // Wrapped so one listener subscribed twice counts and ends twice, as two Redis subscriptions would.
      const own = (message: string): void => listener(message);
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

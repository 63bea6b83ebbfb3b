import type { Clock, TimerHandle } from '../clock.js';
import { META } from '../constants.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { Engine } from '../engine/createEngine.js';
import { ProtocolError } from '../errors.js';
import type { RequestId } from '../schemas/jsonrpc.js';
import type { SubscriptionFilter } from '../schemas/primitives.js';

interface Listen {
  readonly filter: SubscriptionFilter;
  readonly key: string;
  readonly controller: AbortController;
  id: RequestId | undefined;
  honoured: SubscriptionFilter | undefined;
  /** True when we ended it ourselves (replaced, closed). */
  retired: boolean;
}

/** What the manager needs from its client. */
export interface ListenManagerOptions {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly report: DiagnosticHandler;
  readonly retryMs: number;
  /** The filter the client's handlers want now. */
  readonly wanted: () => SubscriptionFilter;
  /** The modern envelope of a new request for `filter` (which may name tasks: the extension is then declared). */
  readonly envelope: (filter: SubscriptionFilter) => Record<string, unknown>;
  /**
   * A subscription was acknowledged with `honoured`; `continuous` is false
   * when no acknowledged subscription was open just before (a first open, or
   * a reopen after a drop), so what it brings may have missed changes.
   */
  readonly onAcknowledged?: (honoured: SubscriptionFilter, continuous: boolean) => void;
  /** The subscription dropped; it is reopened with backoff. */
  readonly onLost?: () => void;
}

/** Maximum delay between reopen attempts of a dropped listen subscription. */
const MAX_RETRY_MS = 5000;

/**
 * Keeps one modern `subscriptions/listen` subscription open for exactly the
 * notification types the client has handlers for (PROTOCOL.md §listen): a
 * changed filter opens the new subscription before ending the old one, and a
 * subscription the server drops is reopened with backoff. At most one
 * subscription waits for its acknowledgement at a time: changes meanwhile
 * are folded into one reopen once it is acknowledged, so a burst of changes
 * (tasks starting, PROTOCOL.md §tasks) costs two requests, not one each.
 */
export class ListenManager {
  readonly #options: ListenManagerOptions;
  #current: Listen | undefined;
  readonly #previous = new Set<Listen>();
  #retryTimer: TimerHandle | undefined;
  #retryDelay: number;
  #closed = false;
  /** The filter changed while the current subscription waited for its acknowledgement. */
  #stale = false;
  #scheduled: Promise<SubscriptionFilter | undefined> | undefined;
  #waiters: Array<{ resolve: (filter: SubscriptionFilter | undefined) => void; reject: (error: Error) => void }> = [];

  constructor(options: ListenManagerOptions) {
    this.#options = options;
    this.#retryDelay = options.retryMs;
  }

  /** Whether notifications tagged with this subscription id belong to us. */
  owns(subscriptionId: unknown): boolean {
    if (this.#current?.id === subscriptionId) return true;
    for (const listen of this.#previous) if (listen.id === subscriptionId) return true;
    return false;
  }

  /**
   * Brings the subscription in line with `wanted()`; resolves with the
   * honoured filter once acknowledged. Calls made in one tick (several `on`
   * in a row) are merged into one reconciliation, so they open one stream.
   */
  sync(): Promise<SubscriptionFilter | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    this.#scheduled ??= new Promise<void>((resolve) =>
      queueMicrotask(() => {
        this.#scheduled = undefined;
        resolve();
      }),
    ).then(() => this.#reconcile());
    return this.#scheduled;
  }

  #reconcile(): Promise<SubscriptionFilter | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    const filter = this.#options.wanted();
    const key = JSON.stringify(filter);
    if (this.#current && this.#current.key === key) {
      const { honoured } = this.#current;
      if (!honoured) return this.#wait();
      // Waiters of a change that was undone before it was sent get what is open.
      this.#settleWaiters(honoured);
      return Promise.resolve(honoured);
    }
    if (this.#current && !this.#current.honoured && !isEmpty(filter)) {
      this.#stale = true;
      return this.#wait();
    }
    if (isEmpty(filter)) {
      // The subscription it was to replace ends too, or it would stay open for nobody.
      for (const old of [...this.#previous]) this.#retire(old);
      this.#retire(this.#current);
      this.#current = undefined;
      this.#settleWaiters(undefined);
      return Promise.resolve(undefined);
    }
    this.#open(filter, key);
    return this.#wait();
  }

  /** Handles `notifications/subscriptions/acknowledged`. */
  acknowledged(params: Record<string, unknown> | undefined): void {
    const id = (params?._meta as Record<string, unknown> | undefined)?.[META.subscriptionId];
    const listen = this.#current;
    if (!listen || listen.id !== id) return;
    listen.honoured = (params?.notifications ?? {}) as SubscriptionFilter;
    this.#retryDelay = this.#options.retryMs;
    let continuous = false;
    for (const old of this.#previous) {
      continuous ||= old.honoured !== undefined;
      this.#retire(old);
    }
    this.#options.onAcknowledged?.(listen.honoured, continuous);
    // What changed while it was on its way is opened now; the waiters wait for that.
    if (this.#stale) void this.sync().catch(() => {});
    else this.#settleWaiters(listen.honoured);
  }

  /** Ends everything (client closing). */
  close(): void {
    this.#closed = true;
    if (this.#retryTimer !== undefined) this.#options.clock.clearTimeout(this.#retryTimer);
    this.#retire(this.#current);
    this.#current = undefined;
    this.#settleWaiters(undefined);
  }

  #open(filter: SubscriptionFilter, key: string): void {
    this.#stale = false;
    const previous = this.#current;
    if (previous) this.#previous.add(previous);
    const listen: Listen = { filter, key, controller: new AbortController(), id: undefined, honoured: undefined, retired: false };
    this.#current = listen;
    const { engine } = this.#options;
    const request = engine.request(
      'subscriptions/listen',
      { _meta: this.#options.envelope(filter), notifications: filter },
      {
        timeout: Infinity,
        maxTotalTimeout: Infinity,
        resetTimeoutOnProgress: false,
        signal: listen.controller.signal,
        onRequestId: (id) => (listen.id = id),
      },
    );
    request.then(
      () => this.#ended(listen, undefined),
      (error: unknown) => this.#ended(listen, error),
    );
  }

  #ended(listen: Listen, error: unknown): void {
    this.#previous.delete(listen);
    if (listen.retired || this.#closed) return;
    if (this.#current !== listen) return;
    this.#current = undefined;
    if (this.#options.engine.closed || (error instanceof ProtocolError && error.code === 'ConnectionClosed')) {
      this.#settleWaiters(undefined, error as Error);
      return;
    }
    if (error) this.#options.report({ kind: 'callback-error', where: 'subscriptions/listen', error });
    this.#options.onLost?.();
    const delay = this.#retryDelay;
    this.#retryDelay = Math.min(MAX_RETRY_MS, this.#retryDelay * 2);
    this.#retryTimer = this.#options.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.sync();
    }, delay);
  }

  #retire(listen: Listen | undefined): void {
    if (!listen || listen.retired) return;
    listen.retired = true;
    this.#previous.delete(listen);
    listen.controller.abort(new ProtocolError('RequestCancelled', 'listen subscription replaced or closed'));
  }

  #wait(): Promise<SubscriptionFilter | undefined> {
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #settleWaiters(filter: SubscriptionFilter | undefined, error?: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve(filter);
    }
  }
}

function isEmpty(filter: SubscriptionFilter): boolean {
  return Object.values(filter).every((v) => v === undefined || v === false || (Array.isArray(v) && v.length === 0));
}

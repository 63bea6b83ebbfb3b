import type { Clock, TimerHandle } from '../clock.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { SessionInfo } from '../server/types.js';
import type { SharedSessionState } from '../session/sharedSession.js';
import { readEnvelope, type Answer, type Envelope, type LocalDelivery, type LoggedNotification, type LogPage, type TaskRelay } from './clusterMessages.js';
import type { ClusterOptions } from './clusterOptions.js';

export type { LocalDelivery, LoggedNotification, TaskRelay } from './clusterMessages.js';

/** Answers sent in one bus message at most; more wait for the next. */
const MAX_ANSWERS_PER_MESSAGE = 1_000;

/** One publish waiting for every receiving node's count. */
interface Tally {
  replies: number;
  reached: number;
  /** Recipients the answers listed (a listing only). */
  readonly listed: SessionInfo[];
  /** Receivers the bus reported; unknown until `publish` resolves (a reply may come first). */
  expected: number | undefined;
  readonly timer: TimerHandle;
  readonly resolve: (tally: Tally) => void;
}

const MAX_RETRY_MS = 30_000;

/**
 * A server's seat on the cluster bus (DESIGN.md §8, PROTOCOL.md §cluster).
 * Every node subscribes to one channel all publish on, and to one of its own
 * for counts. Each node, this one included, answers every message on the
 * shared channel with how many of its recipients it reached (this one with
 * 0, having delivered its own before publishing, except to its shared legacy
 * sessions, which get a notification through the bus's log when there is
 * one), so the publisher knows exactly how many answers to wait for from the
 * bus's receiver count.
 */
export class ClusterLink {
  readonly nodeId: string;
  /** Settles once this node receives what others publish; until then the bus is retried with backoff. */
  readonly joined: Promise<void>;
  readonly #options: ClusterOptions;
  readonly #local: LocalDelivery;
  readonly #clock: Clock;
  readonly #report: DiagnosticHandler;
  readonly #shared: string;
  readonly #own: string;
  readonly #tallies = new Map<number, Tally>();
  #seq = 0;
  #ends: Array<() => Promise<void>> = [];
  #retry: TimerHandle | undefined;
  /** Answers waiting to go to each publishing node: a burst of broadcasts is answered in a few messages, not one each. */
  readonly #outbox = new Map<string, Answer[]>();
  #flush: TimerHandle | undefined;
  #closed = false;
  /** Whether this node serves shared legacy sessions: only then does it use the bus's log. */
  #keeping = false;

  constructor(options: ClusterOptions, local: LocalDelivery, clock: Clock, report: DiagnosticHandler) {
    this.#options = options;
    this.#local = local;
    this.#clock = clock;
    this.#report = report;
    this.nodeId = options.nodeId ?? globalThis.crypto.randomUUID();
    const prefix = options.channel ?? 'tidings';
    this.#shared = `${prefix}:all`;
    this.#own = `${prefix}:node:${this.nodeId}`;
    this.joined = new Promise((resolve) => this.#join(0, resolve));
  }

  /**
   * Whether broadcasts and notifies go through the bus's log: this node's
   * shared legacy sessions then get its broadcasts and notifies when they
   * come back from the bus, in log order with their entry ids, like every
   * other node's.
   */
  get keepsLog(): boolean {
    return this.#keeping && this.#options.bus.log !== undefined;
  }

  /** This node serves shared legacy sessions: its broadcasts and notifies go through the log from now on (`Server.cluster.keepLog`). */
  keepLog(): void {
    this.#keeping = true;
  }

  /** Whether the link closed (what it still counts then is cut short). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Publishes a broadcast; resolves to the recipients the other nodes reached. */
  async broadcast(method: string, params: Record<string, unknown> | undefined): Promise<number> {
    return (await this.#publish((q) => ({ t: 'b', o: this.nodeId, q, m: method, ...(params === undefined ? {} : { p: params }) }), true)).reached;
  }

  /** Publishes a notify for a recipient this node does not hold (or holds as a shared session, which gets it back from the log); resolves true when a node delivered it. */
  async notify(sessionId: string, method: string, params: Record<string, unknown> | undefined): Promise<boolean> {
    return (await this.#publish((q) => ({ t: 'n', o: this.nodeId, q, s: sessionId, m: method, ...(params === undefined ? {} : { p: params }) }), true)).reached > 0;
  }

  /** Relays a task update or cancel to the node running the task; resolves true when one applied it. */
  async task(kind: TaskRelay, taskId: string, inputResponses?: Readonly<Record<string, unknown>>): Promise<boolean> {
    const relay = (q: number): Envelope => ({ t: 't', o: this.nodeId, q, k: kind, i: taskId, ...(inputResponses === undefined ? {} : { r: inputResponses }) });
    return (await this.#publish(relay)).reached > 0;
  }

  /** Tells the other nodes a shared legacy session changed; resolves once they applied it (or the count timed out). */
  async sessionState(sessionId: string, state: SharedSessionState): Promise<void> {
    await this.#publish((q) => ({ t: 'u', o: this.nodeId, q, s: sessionId, st: state }));
  }

  /**
   * Hands a client's message for a shared legacy session to the other nodes
   * holding it (only to `node` when given); resolves true when one took it.
   */
  async relay(sessionId: string, message: unknown, node?: string): Promise<boolean> {
    return (await this.#publish((q) => ({ t: 'k', o: this.nodeId, q, s: sessionId, m: message, ...(node === undefined ? {} : { d: node }) }))).reached > 0;
  }

  /** Broadcasts and notifies the bus's log keeps after `after`, oldest first; undefined without a log. */
  async readLog(after: string, count: number): Promise<LogPage | undefined> {
    const log = this.#options.bus.log;
    if (!log) return undefined;
    const page = await log.read(this.#shared, after, count);
    const notifications: LoggedNotification[] = [];
    for (const { id, message } of page.entries) {
      const envelope = readEnvelope(message, this.#report);
      if (envelope?.t === 'b' || envelope?.t === 'n') notifications.push({ entry: id, method: envelope.m, params: envelope.p, sessionId: envelope.t === 'n' ? envelope.s : undefined });
    }
    return { notifications, gap: page.gap, last: page.entries.at(-1)?.id, full: page.entries.length >= count };
  }

  /** The recipients of the other nodes (those that answered in time). */
  async sessions(): Promise<SessionInfo[]> {
    return (await this.#publish((q) => ({ t: 'l', o: this.nodeId, q }))).listed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retry !== undefined) this.#clock.clearTimeout(this.#retry);
    if (this.#flush !== undefined) this.#clock.clearTimeout(this.#flush);
    this.#outbox.clear();
    for (const [q, tally] of this.#tallies) this.#settle(q, tally);
    const ends = this.#ends;
    this.#ends = [];
    await Promise.all(ends.map((end) => end().catch((error: unknown) => this.#report({ kind: 'cluster-error', step: 'unsubscribe', error }))));
  }

  #join(attempt: number, joined: () => void): void {
    const bus = this.#options.bus;
    Promise.all([bus.subscribe(this.#shared, (m, entry) => this.#onShared(m, entry)), bus.subscribe(this.#own, (m) => this.#onOwn(m))]).then(
      (ends) => {
        if (this.#closed) return void Promise.all(ends.map((end) => end())).catch(() => {});
        this.#ends = ends;
        joined();
      },
      (error: unknown) => {
        this.#report({ kind: 'cluster-error', step: 'subscribe', error });
        if (this.#closed) return;
        this.#retry = this.#clock.setTimeout(() => this.#join(attempt + 1, joined), Math.min(MAX_RETRY_MS, 250 * 2 ** attempt));
      },
    );
  }

  #publish(envelope: (q: number) => Envelope, kept = false): Promise<{ readonly reached: number; readonly listed: SessionInfo[] }> {
    if (this.#closed) return Promise.resolve({ reached: 0, listed: [] });
    const q = ++this.#seq;
    const message = JSON.stringify(envelope(q));
    return new Promise((resolve) => {
      const timeoutMs = this.#options.countTimeoutMs ?? 2_000;
      const timer = this.#clock.setTimeout(() => {
        const tally = this.#tallies.get(q);
        if (!tally) return;
        const missing = tally.expected === undefined ? 'the bus' : `${tally.expected - tally.replies} node(s)`;
        this.#report({ kind: 'cluster-error', step: 'count', error: new Error(`${missing} did not answer within ${timeoutMs} ms`) });
        this.#settle(q, tally);
      }, timeoutMs);
      const tally: Tally = { replies: 0, reached: 0, listed: [], expected: undefined, timer, resolve };
      this.#tallies.set(q, tally);
      const { bus } = this.#options;
      (kept && this.keepsLog ? bus.log!.publish(this.#shared, message) : bus.publish(this.#shared, message)).then(
        (receivers) => {
          tally.expected = receivers;
          this.#check(q, tally);
        },
        (error: unknown) => {
          this.#report({ kind: 'cluster-error', step: 'publish', error });
          this.#settle(q, tally);
        },
      );
    });
  }

  #check(q: number, tally: Tally): void {
    if (tally.expected !== undefined && tally.replies >= tally.expected) this.#settle(q, tally);
  }

  #settle(q: number, tally: Tally): void {
    if (this.#tallies.get(q) !== tally) return;
    this.#tallies.delete(q);
    this.#clock.clearTimeout(tally.timer);
    tally.resolve(tally);
  }

  #onShared(message: string, entry: string | undefined): void {
    if (this.#closed) return;
    const envelope = readEnvelope(message, this.#report);
    if (!envelope || envelope.t === 'c') return;
    if (envelope.o === this.nodeId) {
      // A notification of this node, back from the log: now its shared sessions here get it, in log order.
      if (entry === undefined || (envelope.t !== 'b' && envelope.t !== 'n')) return this.#counted(envelope.q, 0);
      const here = envelope.t === 'b' ? this.#local.broadcast(envelope.m, envelope.p, entry, true) : this.#local.notify(envelope.s, envelope.m, envelope.p, entry).then((ok) => (ok ? 1 : 0));
      return void here.then((n) => this.#counted(envelope.q, n));
    }
    if (envelope.t === 'l') return this.#reply(envelope.o, { q: envelope.q, n: 0, l: this.#local.sessions() });
    if (envelope.t === 'u' || envelope.t === 'k') return this.#reply(envelope.o, { q: envelope.q, n: this.#sessionMessage(envelope) ? 1 : 0 });
    const delivered =
      envelope.t === 'b'
        ? this.#local.broadcast(envelope.m, envelope.p, entry)
        : envelope.t === 'n'
          ? this.#local.notify(envelope.s, envelope.m, envelope.p, entry).then((ok) => (ok ? 1 : 0))
          : this.#local.task(envelope.k, envelope.i, envelope.r).then(
              (applied) => (applied ? 1 : 0),
              (error: unknown) => (this.#report({ kind: 'cluster-error', step: 'task relay', error }), 0),
            );
    void delivered.then((n) => this.#reply(envelope.o, { q: envelope.q, n }));
  }

  #sessionMessage(envelope: Extract<Envelope, { t: 'u' | 'k' }>): boolean {
    try {
      if (envelope.t === 'u') return this.#local.sessionState(envelope.s, envelope.st);
      return (envelope.d === undefined || envelope.d === this.nodeId) && this.#local.relayed(envelope.s, envelope.m);
    } catch (error) {
      this.#report({ kind: 'cluster-error', step: 'session relay', error });
      return false;
    }
  }

  /** Queues an answer for `origin`; the queue leaves at the end of this turn of the event loop, or when full. */
  #reply(origin: string, answer: Answer): void {
    if (this.#closed) return;
    let answers = this.#outbox.get(origin);
    if (!answers) this.#outbox.set(origin, (answers = []));
    answers.push(answer);
    if (answers.length >= MAX_ANSWERS_PER_MESSAGE) this.#send(origin, answers);
    else this.#flush ??= this.#clock.setTimeout(() => this.#sendAll(), 0);
  }

  #sendAll(): void {
    this.#flush = undefined;
    for (const [origin, answers] of this.#outbox) this.#send(origin, answers);
  }

  #send(origin: string, answers: Answer[]): void {
    this.#outbox.delete(origin);
    const prefix = this.#options.channel ?? 'tidings';
    this.#options.bus
      .publish(`${prefix}:node:${origin}`, JSON.stringify({ t: 'c', a: answers } satisfies Envelope))
      .catch((error: unknown) => this.#report({ kind: 'cluster-error', step: 'count reply', error }));
  }

  #onOwn(message: string): void {
    const envelope = readEnvelope(message, this.#report);
    if (envelope?.t !== 'c') return;
    for (const answer of envelope.a) this.#counted(answer.q, answer.n, answer.l);
  }

  #counted(q: number, n: number, listed?: readonly SessionInfo[]): void {
    const tally = this.#tallies.get(q);
    if (!tally) return;
    tally.replies++;
    tally.reached += n;
    if (listed) tally.listed.push(...listed);
    this.#check(q, tally);
  }
}

import type { Clock } from '../clock.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import { ProtocolError, toProtocolError } from '../errors.js';
import {
  cancelTask,
  completeTask,
  describeTask,
  failTask,
  isTerminal,
  requireInput,
  resumeTask,
  type DetailedTask,
} from './taskState.js';
import type { TaskStore } from './taskStore.js';

/** What a running task needs from the runtime that owns it. */
export interface LiveTaskHost {
  /** Where each transition is written. */
  readonly store: TaskStore;
  /** Time of each transition. */
  readonly clock: Clock;
  /** Work failures that were not protocol errors, and store faults. */
  readonly report: DiagnosticHandler;
  /** Send the message of unexpected exceptions to the client in the failed task's error. */
  readonly exposeInternalErrors: boolean;
  /** Called with every stored change, in order (`notifications/tasks`), with the legacy session that owns the task, if one does. */
  publish(task: DetailedTask, owner: string | undefined): void;
  /** The task reached a terminal status or vanished from the store: forget it. */
  ended(taskId: string): void;
}

/** A pending input request of the work: how to check the client's answer, and whom to give it. */
interface Waiter {
  /** Checks the client's answer; throws InvalidParams when it does not fit. */
  readonly parse: (raw: unknown) => unknown;
  /** Settles the work's call with the answer. */
  readonly resolve: (value: unknown) => void;
  /** Settles the work's call with a failure. */
  readonly reject: (error: unknown) => void;
}

/** Default keys of unnamed input requests, as in multi round-trip requests. */
const KEY_PREFIX: Readonly<Record<string, string>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/**
 * One task whose work runs on this node. Its state lives here and every
 * transition is written through to the store in order, so `tasks/get`
 * (which reads the store) sees each change once its write resolved.
 */
export class LiveTask {
  readonly #host: LiveTaskHost;
  readonly #controller = new AbortController();
  readonly #waiters = new Map<string, Waiter>();
  /** Every input key issued over the task's life: a key is never reused (ext-tasks §Task Update Requests). */
  readonly #issued = new Set<string>();
  readonly #counters: Record<string, number> = {};
  #state: DetailedTask;
  #writes: Promise<void> = Promise.resolve();
  #settle!: (task: DetailedTask) => void;
  #changeListeners: Array<() => void> = [];
  /** The legacy (2025-11-25) session that asked for the task; undefined for a modern one, which belongs to no connection. */
  readonly owner: string | undefined;
  /** Resolves with the terminal task once it is stored (2025-11-25 `tasks/result` waits on it). */
  readonly settled: Promise<DetailedTask>;

  constructor(host: LiveTaskHost, task: DetailedTask, owner?: string) {
    this.#host = host;
    this.#state = task;
    this.owner = owner;
    this.settled = new Promise((resolve) => (this.#settle = resolve));
  }

  /** Aborted when the task is cancelled, expires or the server closes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The task as this node knows it (possibly ahead of the store by the writes in flight). */
  get state(): DetailedTask {
    return this.#state;
  }

  /** Resolves at the task's next change of state (2025-11-25 `tasks/result` relays input requests as they appear). */
  nextChange(): Promise<void> {
    return new Promise((resolve) => this.#changeListeners.push(resolve));
  }

  /** Runs the work to its outcome: completed with its result, or failed with its error. */
  async run(work: () => Promise<Record<string, unknown>>): Promise<void> {
    let next: (task: DetailedTask, now: number) => DetailedTask;
    try {
      const result = await work();
      next = (task, now) => completeTask(task, result, now);
    } catch (thrown) {
      // Work that stops because the task was cancelled is not a failure to report.
      if (isTerminal(this.#state) || this.#controller.signal.aborted) return;
      const error = toProtocolError(thrown, { exposeInternalErrors: this.#host.exposeInternalErrors });
      if (!(thrown instanceof ProtocolError)) this.#host.report({ kind: 'handler-error', method: 'tasks', error: thrown });
      next = (task, now) => failTask(task, error.toJSON(), now);
    }
    // Cancelled (or expired) meanwhile: the outcome no longer matters (ext-tasks §Task Cancellation).
    if (isTerminal(this.#state) || this.#controller.signal.aborted) return;
    const stored = this.#apply(next(this.#state, this.#host.clock.now()));
    this.#finish();
    await stored;
  }

  /** Replaces the status message; rejects once the task is over. */
  describe(message: string): Promise<void> {
    if (isTerminal(this.#state)) return Promise.reject(this.#over());
    return this.#apply(describeTask(this.#state, message, this.#host.clock.now()));
  }

  /**
   * Asks the client for one input: the task becomes (or stays)
   * input_required with it outstanding, and the promise resolves with the
   * answer, checked by `parse`, once `tasks/update` brings it.
   */
  ask(method: string, params: Record<string, unknown> | undefined, key: string | undefined, parse: (raw: unknown) => unknown): Promise<unknown> {
    if (isTerminal(this.#state)) return Promise.reject(this.#over());
    const prefix = KEY_PREFIX[method] ?? method;
    const id = key ?? `${prefix}-${(this.#counters[prefix] = (this.#counters[prefix] ?? 0) + 1)}`;
    if (this.#issued.has(id)) {
      return Promise.reject(new ProtocolError('InternalError', `Task ${this.#state.taskId} already asked for input ${JSON.stringify(id)}: keys are unique over a task's life`));
    }
    this.#issued.add(id);
    const outstanding = this.#state.status === 'input_required' ? this.#state.inputRequests : {};
    const request = params === undefined ? { method } : { method, params };
    return new Promise((resolve, reject) => {
      this.#waiters.set(id, { parse, resolve, reject });
      void this.#apply(requireInput(this.#state, { ...outstanding, [id]: request }, this.#host.clock.now()));
    });
  }

  /**
   * Takes the client's answers (`tasks/update`). Answers to keys that are not
   * outstanding are ignored; a malformed answer to an outstanding key rejects
   * (InvalidParams) before anything changes. Resolves once the new state is
   * stored: input_required with the keys still missing, or working.
   */
  async answer(responses: Readonly<Record<string, unknown>>): Promise<void> {
    const settled: Array<[string, () => void]> = [];
    for (const [key, raw] of Object.entries(responses)) {
      const waiter = this.#outstanding(key);
      if (!waiter) continue;
      const value = waiter.parse(raw);
      settled.push([key, () => waiter.resolve(value)]);
    }
    await this.#settleInputs(settled);
  }

  /** The client refused one input (a 2025-11-25 server→client request that failed): the work's call rejects with `error`. */
  refuse(key: string, error: unknown): Promise<void> {
    const waiter = this.#outstanding(key);
    return waiter ? this.#settleInputs([[key, () => waiter.reject(error)]]) : Promise.resolve();
  }

  #outstanding(key: string): Waiter | undefined {
    const state = this.#state;
    if (state.status !== 'input_required' || !Object.prototype.hasOwnProperty.call(state.inputRequests, key)) return undefined;
    return this.#waiters.get(key);
  }

  /** Takes the settled inputs off the task (input_required with the rest, or working), then settles the work's calls. */
  async #settleInputs(settled: Array<[string, () => void]>): Promise<void> {
    const state = this.#state;
    if (state.status !== 'input_required' || settled.length === 0) return;
    const remaining = { ...state.inputRequests };
    for (const [key] of settled) delete remaining[key];
    const now = this.#host.clock.now();
    const stored = this.#apply(Object.keys(remaining).length === 0 ? resumeTask(state, now) : requireInput(state, remaining, now));
    for (const [key, settle] of settled) {
      this.#waiters.delete(key);
      settle();
    }
    await stored;
  }

  /** Cancels the task (`tasks/cancel`, server shutdown): cancelled at once, its work aborted. A no-op once terminal. */
  async cancel(statusMessage?: string): Promise<void> {
    if (isTerminal(this.#state)) return;
    const stored = this.#apply(cancelTask(this.#state, this.#host.clock.now(), statusMessage));
    this.#controller.abort(this.#over());
    this.#finish();
    await stored;
  }

  #over(): ProtocolError {
    return new ProtocolError('RequestCancelled', `Task ${this.#state.taskId} is ${this.#state.status}`);
  }

  /** The task is over: pending inputs will never be answered, and the runtime forgets it. */
  #finish(): void {
    const over = this.#over();
    for (const waiter of this.#waiters.values()) waiter.reject(over);
    this.#waiters.clear();
    this.#host.ended(this.#state.taskId);
    void this.#writes.then(() => this.#settle(this.#state));
  }

  /** Takes `next` as the state now, and writes it to the store after the writes before it; then publishes it. */
  #apply(next: DetailedTask): Promise<void> {
    this.#state = next;
    const listeners = this.#changeListeners;
    this.#changeListeners = [];
    for (const listener of listeners) listener();
    this.#writes = this.#writes.then(
      () =>
        this.#host.store.update(next).then(
          (kept) => {
            if (kept) return this.#host.publish(next, this.owner);
            // The store dropped it (TTL, eviction): nobody can see the task any more, so stop its work.
            if (!this.#controller.signal.aborted) this.#controller.abort(new ProtocolError('RequestCancelled', `Task ${next.taskId} expired`));
            this.#finish();
          },
          (error: unknown) => this.#host.report({ kind: 'callback-error', where: 'task store update', error }),
        ),
    );
    return this.#writes;
  }
}

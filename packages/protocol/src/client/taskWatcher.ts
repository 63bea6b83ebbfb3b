import type { TimerHandle } from '../clock.js';
import type { RequestOptions } from '../engine/requestOptions.js';
import { ProtocolError, toProtocolError } from '../errors.js';
import { TaskSchema } from '../schemas/primitives.js';
import { CallToolResultSchema, type CallToolResult } from '../schemas/results.js';
import { DetailedTaskSchema } from '../schemas/tasks.js';
import { parseParams } from '../validate.js';
import type { TaskWatcherHost } from './clientTasks.js';
import { TaskInputs } from './taskInputs.js';
import { pollDelay, sameStatus, statusUpdateOf } from './taskStatus.js';
import type { TaskObserveOptions, TaskStatusUpdate, ToolTask } from './taskTypes.js';

/** Where a handle is: polling on a timer, fed by the listen subscription, waiting for a reconnect, or done. */
type Phase =
  | { readonly kind: 'polling'; timer: TimerHandle | undefined }
  | { readonly kind: 'pushed' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'settled' };

/** Failed `tasks/get` in a row (not a closed connection) before the handle gives up. */
const MAX_POLL_FAILURES = 5;

/**
 * One task a client follows (ext-tasks §Task Polling, §Task Update Requests;
 * 2025-11-25 tasks §Result Retrieval). Statuses come from `tasks/get` and
 * pushes alike and are delivered once each, in order; a modern task's
 * outcome is read from its terminal status, a 2025-11-25 task's from
 * `tasks/result`, which is also how that revision relays input requests.
 */
export class TaskWatcher implements ToolTask {
  readonly taskId: string;
  readonly result: Promise<CallToolResult>;
  /** The task belongs to a 2025-11-25 session: it dies with the connection. */
  readonly legacy: boolean;
  readonly #host: TaskWatcherHost;
  readonly #options: TaskObserveOptions;
  readonly #stop = new AbortController();
  readonly #listeners = new Set<(status: TaskStatusUpdate) => void>();
  readonly #inputs = new TaskInputs();
  #phase: Phase = { kind: 'polling', timer: undefined };
  #status: TaskStatusUpdate | undefined;
  #getting = false;
  #fetching = false;
  #failures = 0;
  #resolve!: (result: CallToolResult) => void;
  #reject!: (error: ProtocolError) => void;

  constructor(host: TaskWatcherHost, taskId: string, legacy: boolean, options: TaskObserveOptions = {}) {
    this.#host = host;
    this.taskId = taskId;
    this.legacy = legacy;
    this.#options = options;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.result.catch(() => {});
  }

  get status(): TaskStatusUpdate | undefined {
    return this.#status;
  }

  /** Whether the handle is done (its result settled). */
  get settled(): boolean {
    return this.#phase.kind === 'settled';
  }

  onStatus(listener: (status: TaskStatusUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  async cancel(): Promise<void> {
    if (this.settled) return;
    let answer: unknown;
    try {
      answer = await this.#host.send('tasks/cancel', { taskId: this.taskId });
    } catch (error) {
      // 2025-11-25 answers −32602 for a task already over: its outcome is on its way.
      if (this.legacy && error instanceof ProtocolError && error.code === 'InvalidParams') return this.refresh();
      throw error;
    }
    // A 2025-11-25 server answers with the task; the extension only acknowledges (ext-tasks §Task Cancellation).
    if (this.legacy) this.#take(answer, 'tasks/cancel result');
    else if (this.#phase.kind !== 'pushed') this.refresh();
  }

  /** Starts observing: `created` is the task as the call answered it (the seed state). */
  start(created: unknown): void {
    const update = this.#statusOf(created, 'CreateTaskResult');
    if (update) this.#emit(update);
    // The seed carries no result or input requests: anything but working is read at once.
    if (update?.status === 'working') this.#schedule();
    else this.refresh();
  }

  /** A status arrived by push (`notifications/tasks`, or `notifications/tasks/status` in 2025-11-25). */
  pushed(params: unknown): void {
    if (this.#phase.kind === 'paused') return;
    this.#take(params, 'task notification');
  }

  /** Reads the task now (`tasks/get`), whatever the phase; a read already in flight is enough. */
  refresh(): void {
    if (this.settled || this.#phase.kind === 'paused' || this.#getting) return;
    this.#clearTimer();
    void this.#poll();
  }

  /**
   * The listen subscription does (true) or does not (false) bring this
   * task's statuses. Pushed: no timer, and one read to catch up with what
   * changed before the subscription took the task (`catchUp`).
   */
  setPushed(pushed: boolean, catchUp: boolean): void {
    if (this.settled || this.#phase.kind === 'paused') return;
    if (pushed) {
      const was = this.#phase.kind === 'pushed';
      this.#clearTimer();
      this.#phase = { kind: 'pushed' };
      if (!was || catchUp) this.refresh();
    } else if (this.#phase.kind === 'pushed') {
      this.#phase = { kind: 'polling', timer: undefined };
      this.#schedule();
    }
  }

  /** The connection dropped: a modern task waits for the next one, with no timer armed. */
  pause(): void {
    if (this.settled) return;
    this.#clearTimer();
    this.#phase = { kind: 'paused' };
  }

  /** Connected again: read the task at once, then poll until the subscription takes it. */
  resume(): void {
    if (this.#phase.kind !== 'paused') return;
    this.#phase = { kind: 'polling', timer: undefined };
    this.refresh();
  }

  /** Ends the handle with `error` (client closed, the connection its 2025-11-25 task lived on dropped). */
  close(error: ProtocolError): void {
    this.#settle(() => {
      throw error;
    });
  }

  async #poll(): Promise<void> {
    this.#getting = true;
    try {
      const answer = await this.#host.send('tasks/get', { taskId: this.taskId });
      this.#failures = 0;
      this.#take(answer, 'tasks/get result');
    } catch (error) {
      this.#pollFailed(error);
    } finally {
      this.#getting = false;
    }
    this.#schedule();
  }

  #pollFailed(error: unknown): void {
    const failure = toProtocolError(error);
    // The registry pauses or closes the handle when the connection closed; that is not the task's failure.
    if (failure.code === 'ConnectionClosed') return;
    // An unknown task is gone for good (expired, or never ours): ext-tasks §Protocol Errors.
    if (failure.code === 'InvalidParams' || ++this.#failures >= MAX_POLL_FAILURES) {
      this.close(failure);
      return;
    }
    this.#host.report({ kind: 'callback-error', where: 'tasks/get', error });
  }

  /** Takes one status of the task, from any source. */
  #take(raw: unknown, what: string): void {
    if (this.settled) return;
    const schema = this.legacy ? TaskSchema : DetailedTaskSchema;
    let task: Record<string, any>;
    try {
      task = parseParams(schema, raw, what);
    } catch (error) {
      this.#host.report({ kind: 'notification-invalid', method: what, error: error as ProtocolError });
      return;
    }
    if (task.taskId !== this.taskId) return;
    const update = this.#statusOf(task, what)!;
    // A read that left before a push arrived may land after it: keep the newer one.
    if (this.#status && Date.parse(update.lastUpdatedAt) < Date.parse(this.#status.lastUpdatedAt)) return;
    this.#emit(update);
    if (this.legacy) {
      if (update.status !== 'working') this.#fetchResult();
      return;
    }
    if (task.status === 'input_required') this.#answerInput(task.inputRequests as Record<string, unknown>);
    else if (task.status === 'completed') this.#settle(() => parseParams(CallToolResultSchema, task.result, 'task result'));
    else if (task.status === 'failed') this.close(ProtocolError.fromWire(task.error));
    else if (task.status === 'cancelled') this.close(this.#cancelled());
  }

  #statusOf(raw: unknown, what: string): TaskStatusUpdate | undefined {
    const update = statusUpdateOf(raw, this.legacy);
    if (!update) this.#host.report({ kind: 'notification-invalid', method: what, error: new ProtocolError('InvalidParams', `Invalid ${what}`) });
    return update;
  }

  #emit(update: TaskStatusUpdate): void {
    const last = this.#status;
    this.#status = update;
    if (last && sameStatus(last, update)) return;
    for (const listener of [...this.#listeners]) {
      // One listener's bug must not keep the status from the others, nor stop the task.
      try {
        listener(update);
      } catch (error) {
        this.#host.report({ kind: 'callback-error', where: 'task onStatus', error });
      }
    }
  }

  /** Answers what the task asks that is not answered yet; a request the client cannot answer abandons the task. */
  #answerInput(inputRequests: Record<string, unknown>): void {
    void this.#inputs.answer(inputRequests, this.#host, this.taskId, this.#stop.signal).then((failure) => {
      if (failure && !this.settled) this.#abandon(failure);
    });
  }

  /**
   * The client cannot answer what the task asks (no handler, a handler that
   * threw): the task would wait forever, so it is cancelled and the handle
   * fails with the reason.
   */
  #abandon(error: ProtocolError): void {
    this.#host.send('tasks/cancel', { taskId: this.taskId }).catch(() => {});
    this.close(error);
  }

  /** 2025-11-25: `tasks/result` blocks until the task is over and relays its input requests meanwhile (§Result Retrieval). */
  #fetchResult(): void {
    if (this.#fetching || this.settled) return;
    this.#fetching = true;
    const options: RequestOptions = { timeout: Infinity, resetTimeoutOnProgress: false, signal: this.#stop.signal };
    this.#host.send('tasks/result', { taskId: this.taskId }, options).then(
      (answer) => this.#settle(() => parseParams(CallToolResultSchema, answer, 'tasks/result result')),
      (error: unknown) => {
        this.#fetching = false;
        const failure = toProtocolError(error);
        // Timed out (maxTotalTimeout) or cut: the next status read asks again.
        if (this.settled || failure.code === 'ConnectionClosed' || failure.code === 'RequestTimeout') return;
        this.close(this.#status?.status === 'cancelled' ? this.#cancelled() : failure);
      },
    );
  }

  #cancelled(): ProtocolError {
    return new ProtocolError('RequestCancelled', `Task ${this.taskId} was cancelled`);
  }

  #settle(outcome: () => CallToolResult): void {
    if (this.settled) return;
    this.#clearTimer();
    this.#phase = { kind: 'settled' };
    try {
      this.#resolve(outcome());
    } catch (error) {
      this.#reject(toProtocolError(error));
    }
    this.#stop.abort(new ProtocolError('RequestCancelled', `Task ${this.taskId} is no longer followed`));
    this.#host.ended(this);
  }

  #schedule(): void {
    const phase = this.#phase;
    if (phase.kind !== 'polling' || phase.timer !== undefined || this.#getting) return;
    const delay = pollDelay(this.#options, this.#status);
    phase.timer = this.#host.clock.setTimeout(() => {
      phase.timer = undefined;
      this.refresh();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#phase.kind === 'polling' && this.#phase.timer !== undefined) {
      this.#host.clock.clearTimeout(this.#phase.timer);
      this.#phase.timer = undefined;
    }
  }
}

import { ProtocolError } from '../errors.js';
import { NOTIFICATION_METHODS } from '../notificationMethods.js';
import type { SubscriptionFilter } from '../schemas/primitives.js';
import type { CallToolResult } from '../schemas/results.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { RequestOptions } from '../engine/requestOptions.js';
import type { InputAnswerer } from './inputRequests.js';
import { TaskWatcher } from './taskWatcher.js';
import type { TaskObserveOptions, ToolTask } from './taskTypes.js';

/** Most task ids one client asks its listen subscription for; the server honours as many (`MAX_LISTEN_TASK_IDS`). Beyond, tasks are polled. */
const MAX_PUSHED_TASKS = 1024;

/**
 * How long a task that ended stays in the listen filter (PROTOCOL.md §tasks),
 * so that the tasks ending within this window leave it in one resubscription.
 * An ended task in the filter costs nothing but its slot: no status of it can
 * come any more. A task that starts takes the ended ones out with it.
 */
export const ENDED_TASKS_WINDOW_MS = 250;

/** What a task handle needs from its client. */
export interface TaskWatcherHost {
  readonly clock: Clock;
  readonly report: DiagnosticHandler;
  /** Sends a tasks/* request on the current connection (declaring the extension in the modern era). */
  send(method: string, params: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  /** Answers one input request with the client's elicitation, sampling and roots handlers. */
  readonly answer: InputAnswerer;
  /** The handle settled: stop following its task. */
  ended(watcher: TaskWatcher): void;
}

/** What the tasks of a client need from it. */
export interface ClientTasksHost extends Omit<TaskWatcherHost, 'ended'> {
  /** The task ids to follow changed: bring the listen subscription in line. */
  syncListen(): void;
}

/**
 * The tasks a client follows (ext-tasks; 2025-11-25 tasks): their handles by
 * id, the `taskIds` of the listen subscription, the pushes, and what a
 * dropped or closed connection means to each (a modern task outlives its
 * connection and is read again on the next; a 2025-11-25 task does not).
 */
export class ClientTasks {
  readonly #host: ClientTasksHost;
  readonly #watchers = new Map<string, TaskWatcher>();
  readonly #hostForWatchers: TaskWatcherHost;
  /** The connected server pushes `notifications/tasks` to listen subscriptions (modern, extension offered). */
  #push = false;
  /** Armed by the first task that ends in a window; the resubscription it brings drops all that ended in it. */
  #resync: TimerHandle | undefined;

  constructor(host: ClientTasksHost) {
    this.#host = host;
    this.#hostForWatchers = {
      clock: host.clock,
      report: host.report,
      send: (method, params, options) => host.send(method, params, options),
      answer: host.answer,
      ended: (watcher) => {
        if (this.#watchers.get(watcher.taskId) !== watcher) return;
        this.#watchers.delete(watcher.taskId);
        if (!watcher.legacy && this.#push) this.#taskEnded();
      },
    };
  }

  /**
   * The handle of a task, new or (same id) the one already following it.
   * `created` is the seed state the call answered, if this client made the task.
   */
  watch(taskId: string, legacy: boolean, options: TaskObserveOptions = {}, created?: unknown): ToolTask {
    const existing = this.#watchers.get(taskId);
    if (existing && !existing.settled) return existing;
    const watcher = new TaskWatcher(this.#hostForWatchers, taskId, legacy, options);
    this.#watchers.set(taskId, watcher);
    if (created === undefined) watcher.refresh();
    else watcher.start(created);
    // A new task joins the subscription at once (its statuses matter); the listen manager folds
    // the tasks that start while that resubscription is on its way into the next one.
    if (!legacy && this.#push) {
      this.#cancelResync();
      this.#host.syncListen();
    }
    return watcher;
  }

  /** A followed task ended: it leaves the filter with the others that end in the same window. */
  #taskEnded(): void {
    if (this.#resync !== undefined) return;
    this.#resync = this.#host.clock.setTimeout(() => {
      this.#resync = undefined;
      if (this.#push) this.#host.syncListen();
    }, ENDED_TASKS_WINDOW_MS);
  }

  #cancelResync(): void {
    if (this.#resync === undefined) return;
    this.#host.clock.clearTimeout(this.#resync);
    this.#resync = undefined;
  }

  /** The `taskIds` the listen subscription should carry: the modern tasks still followed. */
  taskIds(): string[] | undefined {
    if (!this.#push) return undefined;
    const ids: string[] = [];
    for (const [id, watcher] of this.#watchers) {
      if (!watcher.legacy && ids.length < MAX_PUSHED_TASKS) ids.push(id);
    }
    return ids.length > 0 ? ids : undefined;
  }

  /** Hands a task notification to its handle; false when `method` is not one. */
  notified(method: string, params: Record<string, unknown> | undefined): boolean {
    if (method !== NOTIFICATION_METHODS.tasks && method !== NOTIFICATION_METHODS.taskStatus) return false;
    const watcher = this.#watchers.get(params?.taskId as string);
    // Each era pushes its own shape: a 2025-11-25 status never updates a modern task, nor the reverse.
    if (watcher && watcher.legacy === (method === NOTIFICATION_METHODS.taskStatus)) watcher.pushed(params);
    return true;
  }

  /**
   * A listen subscription was acknowledged with `honoured`. The tasks it took
   * are pushed from now on, the others polled; `continuous` is false when no
   * subscription covered the moment before (a reopen after a drop), so every
   * pushed task is read once to catch up.
   */
  acknowledged(honoured: SubscriptionFilter, continuous: boolean): void {
    const ids = new Set((honoured as { taskIds?: unknown }).taskIds as string[] | undefined);
    for (const watcher of this.#watchers.values()) if (!watcher.legacy) watcher.setPushed(ids.has(watcher.taskId), !continuous);
  }

  /** The listen subscription dropped (it is reopened with backoff): poll meanwhile. */
  listenLost(): void {
    for (const watcher of this.#watchers.values()) watcher.setPushed(false, false);
  }

  /** The client connected (again); `push` when the server offers the extension's notifications. */
  connected(era: 'legacy' | 'modern', push: boolean): void {
    this.#push = era === 'modern' && push;
    for (const watcher of [...this.#watchers.values()]) {
      if (era === 'legacy') watcher.close(new ProtocolError('ConnectionClosed', `Task ${watcher.taskId} is a modern task; the server now speaks the legacy era`));
      else watcher.resume();
    }
    if (this.#push && this.taskIds()) this.#host.syncListen();
  }

  /** The connection dropped: a 2025-11-25 task ends with its session; a modern one waits for the next connection. */
  disconnected(): void {
    this.#push = false;
    this.#cancelResync();
    for (const watcher of [...this.#watchers.values()]) {
      if (watcher.legacy) watcher.close(new ProtocolError('ConnectionClosed', `The session of task ${watcher.taskId} ended`));
      else watcher.pause();
    }
  }

  /** `client.close()`: every handle rejects with ConnectionClosed; no timer stays armed. */
  close(): void {
    // Handles that end now must not arm a resubscription for a client that is gone.
    this.#push = false;
    this.#cancelResync();
    for (const watcher of [...this.#watchers.values()]) watcher.close(new ProtocolError('ConnectionClosed', 'The client closed'));
  }
}

/** The handle of a call the server answered at once, without a task. */
export function finishedToolTask(result: CallToolResult): ToolTask {
  return {
    taskId: undefined,
    status: undefined,
    result: Promise.resolve(result),
    onStatus: () => () => {},
    cancel: async () => {},
  };
}

import type { Clock } from '../clock.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import { ProtocolError } from '../errors.js';
import type { ClientCapabilities } from '../schemas/primitives.js';
import { CreateMessageResultSchema, ElicitResultSchema, ListRootsResultSchema } from '../schemas/results.js';
import { parseParams } from '../validate.js';
import { LiveTask, type LiveTaskHost } from './liveTask.js';
import type { RunAsTaskOptions, TaskContext } from './taskContext.js';
import { cancelTask, createTask, createTaskResultOf, isTerminal, type CreateTaskResult, type DetailedTask } from './taskState.js';
import { decodeTaskCursor, encodeTaskCursor, TaskOwners } from './taskOwners.js';
import { createMemoryTaskStore, type TaskStore } from './taskStore.js';

/** The `tasks` option of `createServer`. */
export interface TaskOptions {
  /** Where tasks are kept. Share one between nodes so any node answers `tasks/get`. @default createMemoryTaskStore() on the server's clock */
  readonly store?: TaskStore;
  /** Time-to-live of a new task from its creation; null for unlimited. @default 3600000 */
  readonly ttlMs?: number | null;
  /** Polling interval suggested to clients. @default 1000 */
  readonly pollIntervalMs?: number;
  /** Mints task ids; they must be unguessable (ext-tasks §security). @default crypto.randomUUID */
  readonly generateTaskId?: () => string;
  /**
   * Most tasks whose work runs on this server at once; a request that would
   * start one more is answered −32603 (the store bounds only what is kept).
   * @default 1000
   */
  readonly maxRunningTasks?: number;
  /** Most tasks in one page of a 2025-11-25 `tasks/list` answer. @default 100 */
  readonly listPageSize?: number;
}

/** One page of `tasks/list`: the caller's tasks as stored, oldest first. */
export interface TaskPage {
  readonly tasks: readonly DetailedTask[];
  /** The opaque cursor of the next page; absent on the last one. */
  readonly nextCursor?: string;
}

/** What the runtime needs from its server. */
export interface TaskRuntimeHost {
  /** The server's clock: task timestamps, TTLs and store polling. */
  readonly clock: Clock;
  /** The server's diagnostics hook. */
  readonly report: DiagnosticHandler;
  /** Whether a failed task's error may carry the message of an unexpected exception. */
  readonly exposeInternalErrors: boolean;
  /** Pushes a changed task to the listen subscriptions that name it, and to the legacy session that owns it. */
  publish(task: DetailedTask, owner: string | undefined): void;
  /**
   * Hands an update or a cancel of a task whose work does not run here to
   * the node where it runs (a cluster); resolves true when one took it.
   */
  forward?(kind: 'update' | 'cancel', taskId: string, inputResponses?: Readonly<Record<string, unknown>>): Promise<boolean>;
}

/** The work of a task: the generic result of the request it stands for (a `CallToolResult` for `tools/call`). */
export type TaskWork = (task: TaskContext) => Promise<Record<string, unknown>>;

/**
 * The tasks of one server (ext-tasks): creates them, runs their work, and
 * answers `tasks/get`, `tasks/update` and `tasks/cancel`. The store holds
 * every task; this node holds the ones whose work it runs.
 */
export class TaskRuntime {
  readonly #store: TaskStore;
  readonly #options: TaskOptions;
  readonly #live = new Map<string, LiveTask>();
  readonly #owners = new TaskOwners();
  readonly #host: LiveTaskHost;
  readonly #forward: TaskRuntimeHost['forward'];

  constructor(options: TaskOptions, host: TaskRuntimeHost) {
    this.#options = options;
    this.#forward = host.forward;
    this.#store = options.store ?? createMemoryTaskStore({ clock: host.clock });
    this.#host = {
      store: this.#store,
      clock: host.clock,
      report: host.report,
      exposeInternalErrors: host.exposeInternalErrors,
      publish: (task, owner) => host.publish(task, owner),
      ended: (taskId) => void this.#live.delete(taskId),
    };
  }

  /**
   * Creates a task, stores it, starts `work` and resolves with the
   * `CreateTaskResult`, only once the store holds the task (ext-tasks §Task
   * Creation). `capabilities` are those of the request that made the task:
   * the work may ask only for the input they allow.
   */
  async start(work: TaskWork, capabilities: ClientCapabilities, options: RunAsTaskOptions = {}, owner?: string): Promise<CreateTaskResult> {
    const task = createTask({
      taskId: (this.#options.generateTaskId ?? (() => globalThis.crypto.randomUUID()))(),
      now: this.#host.clock.now(),
      ttlMs: options.ttlMs !== undefined ? options.ttlMs : this.#options.ttlMs !== undefined ? this.#options.ttlMs : 3_600_000,
      pollIntervalMs: options.pollIntervalMs ?? this.#options.pollIntervalMs ?? 1000,
      statusMessage: options.statusMessage,
    });
    if (this.#live.size >= (this.#options.maxRunningTasks ?? 1000)) {
      throw new ProtocolError('InternalError', 'The server runs as many tasks as it can: try again later');
    }
    await this.#store.create(task);
    if (owner !== undefined) {
      this.#owners.add(task.taskId, owner);
      await this.#store.owners?.add(task.taskId, owner, task.ttlMs);
    }
    const live = new LiveTask(this.#host, task, owner);
    this.#live.set(task.taskId, live);
    void live.run(() => work(taskContext(live, task.taskId, capabilities, owner !== undefined)));
    return createTaskResultOf(live.state);
  }

  /** Stores an already finished task (a 2025-11-25 client asked for a task; the tool answered at once). */
  async record(result: Record<string, unknown>, owner: string, options: RunAsTaskOptions = {}): Promise<CreateTaskResult> {
    return this.start(async () => result, {}, options, owner);
  }

  /** The task, when its work runs on this node. */
  running(taskId: string): LiveTask | undefined {
    return this.#live.get(taskId);
  }

  /**
   * The legacy session a task belongs to, running or over; undefined for a
   * modern task (or one made on another node, unless the store keeps owners).
   */
  async ownerOf(taskId: string): Promise<string | undefined> {
    return this.#live.get(taskId)?.owner ?? this.#owners.ownerOf(taskId) ?? (await this.#store.owners?.ownerOf(taskId));
  }

  /**
   * `tasks/list` of 2025-11-25: one page of the tasks of the session
   * `owner`, oldest first, as stored (2025-11-25 tasks §Task Listing). Tasks
   * the store dropped are skipped and forgotten; a cursor that is not ours is
   * InvalidParams (−32602).
   */
  async list(owner: string, cursor: string | undefined): Promise<TaskPage> {
    const size = Math.max(1, this.#options.listPageSize ?? 100);
    const tasks: DetailedTask[] = [];
    let after = decodeTaskCursor(cursor);
    for (;;) {
      const page = (await this.#store.owners?.page(owner, after, size - tasks.length)) ?? this.#owners.page(owner, after, size - tasks.length);
      const read = await Promise.all(page.taskIds.map((id) => this.#store.get(id)));
      read.forEach((task, i) => (task ? tasks.push(task) : this.#owners.forget(page.taskIds[i]!)));
      if (page.next === undefined) return { tasks };
      after = page.next;
      if (tasks.length === size) return { tasks, nextCursor: encodeTaskCursor(after) };
    }
  }

  /**
   * The task once terminal (2025-11-25 `tasks/result` blocks until then). A
   * task whose work runs elsewhere is polled from the store every
   * `pollIntervalMs`; `signal` stops the wait.
   */
  async settled(taskId: string, signal: AbortSignal): Promise<DetailedTask> {
    const live = this.#live.get(taskId);
    if (live) return live.settled;
    for (;;) {
      const task = await this.get(taskId);
      if (isTerminal(task)) return task;
      await new Promise<void>((resolve, reject) => {
        signal.throwIfAborted();
        const handle = this.#host.clock.setTimeout(() => {
          signal.removeEventListener('abort', stop);
          resolve();
        }, task.pollIntervalMs ?? 1000);
        const stop = (): void => {
          this.#host.clock.clearTimeout(handle);
          reject(signal.reason);
        };
        signal.addEventListener('abort', stop, { once: true });
      });
    }
  }

  /** `tasks/get`: the task as stored; InvalidParams (−32602) when unknown or expired (ext-tasks §Protocol Errors). */
  async get(taskId: string): Promise<DetailedTask> {
    const task = await this.#store.get(taskId);
    if (!task) throw new ProtocolError('InvalidParams', 'Failed to retrieve task: Task not found', { data: { taskId } });
    return task;
  }

  /**
   * `tasks/update`: hands the answers to the work. Answers for keys not
   * outstanding are ignored; the task must exist. The acknowledgement follows
   * once the new state is stored.
   */
  async update(taskId: string, inputResponses: Readonly<Record<string, unknown>>): Promise<void> {
    const live = this.#live.get(taskId);
    if (live) return live.answer(inputResponses);
    if (await this.#forward?.('update', taskId, inputResponses)) return;
    await this.get(taskId);
  }

  /**
   * `tasks/cancel`: cancels a task that is not over yet; on a terminal task
   * it is an acknowledgement and nothing more. A task whose work runs
   * on another node of a cluster is cancelled there; one that runs nowhere
   * (after a restart) is marked cancelled in the store.
   */
  async cancel(taskId: string): Promise<void> {
    const live = this.#live.get(taskId);
    if (live) return live.cancel();
    if (await this.#forward?.('cancel', taskId)) return;
    const task = await this.get(taskId);
    if (isTerminal(task)) return;
    const cancelled = cancelTask(task, this.#host.clock.now());
    // Its owner, if any, is not known here: only listen subscriptions hear of it.
    if (await this.#store.update(cancelled)) this.#host.publish(cancelled, undefined);
  }

  /** Server shutdown: every task this node runs is cancelled and its work aborted. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#live.values()].map((live) => live.cancel('The server shut down')));
  }
}

/**
 * The context of a task's work: its input requests wait on the task, for
 * `tasks/update` (the extension) or `tasks/result` (2025-11-25) to answer them.
 */
function taskContext(live: LiveTask, taskId: string, capabilities: ClientCapabilities, legacy: boolean): TaskContext {
  const need = (capability: 'elicitation' | 'sampling' | 'roots', method: string): void => {
    // −32021 exists in the modern era only; a 2025-11-25 task says so with the local capability code.
    if (!capabilities[capability] && legacy) {
      throw new ProtocolError('CapabilityNotSupported', `${method} needs the client capability ${capability}, which the client did not declare`);
    }
    if (!capabilities[capability]) {
      throw new ProtocolError('MissingRequiredClientCapability', `${method} needs the client capability ${capability}`, {
        data: { requiredCapabilities: { [capability]: {} } },
      });
    }
  };
  return {
    taskId,
    signal: live.signal,
    setStatusMessage: (message) => live.describe(message),
    async elicit(params, options = {}) {
      need('elicitation', 'elicitation/create');
      const parse = (raw: unknown) => parseParams(ElicitResultSchema, raw, 'elicitation input response');
      return (await live.ask('elicitation/create', params as Record<string, unknown>, options.key, parse)) as ReturnType<typeof parse>;
    },
    async sample(params, options = {}) {
      need('sampling', 'sampling/createMessage');
      const parse = (raw: unknown) => parseParams(CreateMessageResultSchema, raw, 'sampling input response');
      return (await live.ask('sampling/createMessage', params as Record<string, unknown>, options.key, parse)) as ReturnType<typeof parse>;
    },
    async listRoots(options = {}) {
      need('roots', 'roots/list');
      const parse = (raw: unknown) => parseParams(ListRootsResultSchema, raw, 'roots input response');
      return ((await live.ask('roots/list', {}, options.key, parse)) as ReturnType<typeof parse>).roots;
    },
  };
}

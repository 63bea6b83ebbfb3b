import { RELATED_TASK_META } from '../tasks/legacyTask.js';
import { isTerminal, type DetailedTask } from '../tasks/taskState.js';
import type { CallInfo, ServerCore } from './serverCore.js';

/** A task as a 2025-11-25 `tasks/result` watches it: here (its work runs on this node) or through the store. */
interface InputSource {
  readonly taskId: string;
  /** The task as last seen; undefined before the first look. */
  state(): Promise<DetailedTask>;
  /** Settles at the task's next change (here) or after its poll interval (elsewhere). */
  next(): Promise<void>;
  /** Hands the client's answer to the work. */
  answer(key: string, answer: unknown): Promise<void>;
  /** Tells the work the client refused. */
  refuse(key: string, error: unknown): Promise<void>;
  /** Stops a wait of `next` still running. */
  close(): void;
}

/**
 * How `tasks/result` follows a task: its live state when the work runs on
 * this node; otherwise the store, polled, with answers relayed to the node
 * running the work (a shared session's `tasks/result` may land on any node,
 * PROTOCOL.md §shared-sessions).
 */
export function inputSource(core: ServerCore, taskId: string, signal: AbortSignal): InputSource {
  const live = core.tasks.running(taskId);
  if (live) {
    return {
      taskId,
      state: async () => live.state,
      next: () => live.nextChange(),
      answer: (key, answer) => live.answer({ [key]: answer }),
      refuse: (key, error) => live.refuse(key, error),
      close: () => {},
    };
  }
  let last: DetailedTask | undefined;
  let wake: (() => void) | undefined;
  return {
    taskId,
    state: async () => (last = await core.tasks.get(taskId)),
    next: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          core.clock.clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        };
        wake = done;
        const timer = core.clock.setTimeout(done, last?.pollIntervalMs ?? 1000);
        signal.addEventListener('abort', done, { once: true });
      }),
    answer: (key, answer) => core.tasks.update(taskId, { [key]: answer }),
    // The node running the work waits on: the client's next tasks/result asks again.
    refuse: async (key, error) => core.report({ kind: 'callback-error', where: `task ${taskId} input ${key} refused by the client`, error }),
    close: () => wake?.(),
  };
}

/**
 * While the task runs, sends each input request it waits for to the client
 * on this `tasks/result` request's stream, tagged with the task
 * (2025-11-25 tasks §Input Required Status), and hands the answer (or the
 * client's refusal) to the task. Ends when the task is over or this request
 * is cancelled; a later `tasks/result` sends what is still unanswered again.
 */
export async function relayInput(core: ServerCore, source: InputSource, call: CallInfo): Promise<void> {
  const { inbound } = call;
  const { taskId } = source;
  const sent = new Set<string>();
  const stopped = new Promise<void>((resolve) => (inbound.signal.aborted ? resolve() : inbound.signal.addEventListener('abort', () => resolve(), { once: true })));
  try {
    while (!inbound.signal.aborted) {
      // Waiting for the next change starts before the look, so a change between the two is not missed.
      const change = source.next();
      const state = await source.state();
      if (isTerminal(state)) return;
      if (state.status === 'input_required') {
        for (const [key, request] of Object.entries(state.inputRequests)) {
          if (sent.has(key)) continue;
          sent.add(key);
          const meta = request.params?._meta as Record<string, unknown> | undefined;
          const params = { ...request.params, _meta: { ...meta, [RELATED_TASK_META]: { taskId } } };
          inbound.request(request.method, params, { signal: inbound.signal }).then(
            // An answer that does not fit is the client's refusal too: the work gets the InvalidParams error.
            (answer) => source.answer(key, answer).catch((error: unknown) => source.refuse(key, error)),
            (error: unknown) => (inbound.signal.aborted ? undefined : source.refuse(key, error)),
          ).catch((error: unknown) => core.report({ kind: 'callback-error', where: 'task input relay', error }));
        }
      }
      await Promise.race([change, stopped]);
    }
  } finally {
    source.close();
  }
}

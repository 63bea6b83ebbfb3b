import { ProtocolError, toProtocolError } from '../errors.js';
import type { TaskWatcherHost } from './clientTasks.js';
import { answerInputRequests } from './inputRequests.js';

/** Input requests a client answers over one task's life. */
export const MAX_TASK_INPUTS = 1024;

/**
 * The input requests of one task that the client answered or is answering.
 * A server lists a key until its answer arrives and never reuses one over the
 * task's life (ext-tasks §Task Update Requests), so each key is answered
 * once however often polls and pushes show it.
 */
export class TaskInputs {
  readonly #answered = new Set<string>();

  /**
   * The requests of `inputRequests` not answered yet, now counted as being
   * answered. Throws InternalError past {@link MAX_TASK_INPUTS}: a task that
   * keeps asking is not followed without bound.
   */
  take(inputRequests: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const fresh = Object.entries(inputRequests).filter(([key]) => !this.#answered.has(key));
    if (this.#answered.size + fresh.length > MAX_TASK_INPUTS) {
      throw new ProtocolError('InternalError', `The task asked for more than ${MAX_TASK_INPUTS} inputs`);
    }
    for (const [key] of fresh) this.#answered.add(key);
    return Object.fromEntries(fresh);
  }

  /** These answers did not reach the server (the connection closed): answer them again when they are listed again. */
  release(requests: Readonly<Record<string, unknown>>): void {
    for (const key of Object.keys(requests)) this.#answered.delete(key);
  }

  /**
   * Answers the requests of `inputRequests` not answered yet, all in one
   * `tasks/update` (ext-tasks §Task Update Requests); nothing once `signal`
   * aborts (the handle settled). Resolves with why the task cannot be
   * answered (no handler, a handler that threw, too many inputs), if so; an
   * answer lost with the connection is given again when the request is
   * listed again.
   */
  async answer(
    inputRequests: Readonly<Record<string, unknown>>,
    host: Pick<TaskWatcherHost, 'answer' | 'send'>,
    taskId: string,
    signal: AbortSignal,
  ): Promise<ProtocolError | undefined> {
    let fresh: Record<string, unknown>;
    try {
      fresh = this.take(inputRequests);
    } catch (error) {
      return toProtocolError(error);
    }
    if (Object.keys(fresh).length === 0) return undefined;
    try {
      const inputResponses = await answerInputRequests(fresh, host.answer, signal);
      if (signal.aborted) return undefined;
      await host.send('tasks/update', { taskId, inputResponses });
      return undefined;
    } catch (error) {
      if (signal.aborted) return undefined;
      const failure = toProtocolError(error);
      if (failure.code !== 'ConnectionClosed') return failure;
      this.release(fresh);
      return undefined;
    }
  }
}

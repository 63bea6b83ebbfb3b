import { ProtocolError } from '../errors.js';

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
}

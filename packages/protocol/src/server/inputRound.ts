import { MAX_INPUT_REQUESTS } from '../constants.js';
import { ProtocolError } from '../errors.js';
import { bindingOf } from './requestState.js';
import type { ServerCore } from './serverCore.js';

/** Client requests that may be answered with an InputRequiredResult (2026-07-28 mrtr §supported requests). */
export const INPUT_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** Default keys of unnamed input requests: `elicitation-1`, `sampling-1`, `roots-1`, … in call order. */
const KEY_PREFIX: Readonly<Record<string, string>> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** How long a sealed requestState stays valid. */
const STATE_TTL_MS = 10 * 60_000;

/**
 * One modern request that may need input from the client (multi round-trip
 * requests, 2026-07-28 mrtr). The handler runs again on every round:
 * `ctx.elicit`, `ctx.sample` and `ctx.listRoots` answer from the responses
 * the client sent (or that earlier rounds sealed into `requestState`), and
 * an input not yet known stops the handler there — its promise never
 * settles — while the request is answered with an InputRequiredResult that
 * names every input asked for in that turn and seals the ones used so far.
 */
export class InputRound {
  readonly #core: ServerCore;
  readonly #method: string;
  readonly #params: Record<string, unknown> | undefined;
  readonly #counters: Record<string, number> = {};
  #known: Promise<Record<string, unknown>> | undefined;
  #used: Record<string, unknown> = {};
  #asked: Record<string, unknown> | undefined;
  #answer: ((result: unknown) => void) | undefined;
  #fail: ((error: unknown) => void) | undefined;

  constructor(core: ServerCore, method: string, params: Record<string, unknown> | undefined) {
    this.#core = core;
    this.#method = method;
    this.#params = params;
  }

  /**
   * The handler's outcome, unless the round is answered first with an
   * InputRequiredResult (one promise per request, and none for a handler
   * that returns at once).
   */
  settle(outcome: unknown): unknown {
    if (typeof (outcome as PromiseLike<unknown> | undefined)?.then !== 'function') return outcome;
    return new Promise((resolve, reject) => {
      this.#answer = resolve;
      this.#fail = reject;
      (outcome as PromiseLike<unknown>).then(resolve, reject);
    });
  }

  /** The client's answer to one input request, or a promise that never settles while it is not known yet. */
  ask(method: string, params: Record<string, unknown> | undefined, key: string | undefined): Promise<unknown> {
    // The key is taken now, in call order, so that every round names the same input the same way.
    const prefix = KEY_PREFIX[method] ?? method;
    const id = key ?? `${prefix}-${(this.#counters[prefix] = (this.#counters[prefix] ?? 0) + 1)}`;
    return (this.#known ??= this.#open()).then((known) => {
      if (Object.prototype.hasOwnProperty.call(known, id)) {
        this.#used[id] = known[id];
        return known[id];
      }
      const asked = (this.#asked ??= {});
      const count = Object.keys(asked).length;
      if (count >= MAX_INPUT_REQUESTS) {
        throw new ProtocolError('InternalError', `A request may ask for at most ${MAX_INPUT_REQUESTS} inputs in one round`);
      }
      if (count === 0) {
        // Inputs asked for together (Promise.all) land in one InputRequiredResult.
        this.#core.clock.setTimeout(() => void this.#requireInput(), 0);
      }
      asked[id] = params === undefined ? { method } : { method, params };
      return new Promise<never>(() => {});
    });
  }

  async #open(): Promise<Record<string, unknown>> {
    const responses = this.#params?.inputResponses;
    const state = this.#params?.requestState;
    if (responses !== undefined && (typeof responses !== 'object' || responses === null || Array.isArray(responses))) {
      throw new ProtocolError('InvalidParams', 'inputResponses must be an object of responses keyed by input request');
    }
    if (state !== undefined && typeof state !== 'string') throw new ProtocolError('InvalidParams', 'requestState must be a string');
    const sealed = state === undefined ? {} : await this.#core.requestState.open(bindingOf(this.#method, this.#params), state, this.#core.clock.now());
    return { ...sealed, ...(responses as Record<string, unknown> | undefined) };
  }

  async #requireInput(): Promise<void> {
    try {
      const expiresAt = this.#core.clock.now() + STATE_TTL_MS;
      const requestState = await this.#core.requestState.seal(bindingOf(this.#method, this.#params), this.#used, expiresAt);
      this.#answer?.({ resultType: 'input_required', inputRequests: this.#asked, requestState });
    } catch (error) {
      this.#fail?.(error);
    }
  }
}

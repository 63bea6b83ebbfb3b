import { MAX_INPUT_REQUESTS } from '../constants.js';
import { progressArgumentError, type InboundRequestContext } from '../engine/inboundRequest.js';
import { ProtocolError } from '../errors.js';
import type { JSONRPCRequest } from '../schemas/jsonrpc.js';

/** Rounds of one multi round-trip request a client goes through before it gives up. */
export const MAX_INPUT_ROUNDS = 16;

/** Answers one server→client request (the client's roots, sampling and elicitation handlers). */
export type InputAnswerer = (request: JSONRPCRequest, ctx: InboundRequestContext) => Promise<unknown>;

/**
 * Answers the `inputRequests` of an InputRequiredResult (2026-07-28 mrtr
 * §client requirements) with the same handlers that answer a legacy
 * server's requests, all at once; any failure fails the whole request.
 */
export async function answerInputRequests(inputRequests: unknown, answer: InputAnswerer, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
  if (inputRequests === undefined) return {};
  if (typeof inputRequests !== 'object' || inputRequests === null || Array.isArray(inputRequests)) {
    throw new ProtocolError('InvalidParams', 'The server sent inputRequests that are not an object');
  }
  const entries = Object.entries(inputRequests as Record<string, { method?: unknown; params?: unknown }>);
  if (entries.length > MAX_INPUT_REQUESTS) {
    throw new ProtocolError('InvalidParams', `The server asked for ${entries.length} inputs in one round; at most ${MAX_INPUT_REQUESTS} are answered`);
  }
  // Every request is checked before any is answered: a throw after the first answer started would leave its rejection unhandled.
  for (const [key, request] of entries) {
    if (typeof request?.method !== 'string') throw new ProtocolError('InvalidParams', `Input request ${key} has no method`);
  }
  const answers = await Promise.all(
    entries.map(([key, request]) => {
      const method = request.method as string;
      const message = { jsonrpc: '2.0' as const, id: key, method, params: request.params as Record<string, unknown> | undefined };
      return answer(message, inputContext(key, method, signal));
    }),
  );
  return Object.fromEntries(entries.map(([key], i) => [key, answers[i]]));
}

/**
 * The handler context of an input request: it has no stream of its own, so
 * progress and notifications go nowhere, and its signal is the one of the
 * request that needs the input.
 */
function inputContext(key: string, method: string, signal: AbortSignal | undefined): InboundRequestContext {
  const aborted = signal ?? new AbortController().signal;
  return {
    id: key,
    method,
    meta: undefined,
    signal: aborted,
    progressToken: undefined,
    settled: false,
    lastProgress: undefined,
    responded: Promise.resolve(),
    reportProgress: (progress, total) => {
      const invalid = progressArgumentError(progress, total);
      return invalid ? Promise.reject(invalid) : Promise.resolve();
    },
    notify: () => Promise.resolve(),
    request: () => Promise.reject(new ProtocolError('InvalidRequest', 'An input request cannot make requests of its own')),
    whenAborted(listener) {
      const reason = () => new ProtocolError('RequestCancelled', 'The request that needed this input was cancelled');
      if (aborted.aborted) return listener.aborted(reason());
      aborted.addEventListener('abort', () => listener.aborted(reason()), { once: true });
    },
  };
}

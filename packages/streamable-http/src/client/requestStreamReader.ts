import { readSseStream } from '@tidings/http/client';
import { discard, type HttpClientContext } from './clientContext.js';
import { activate, isOver, type InFlight } from './inFlight.js';
import type { LegacyChannel } from './legacyChannel.js';
import { reconnectDelay } from './reconnectPolicy.js';

/** What the reader reports about a request's stream. */
export interface RequestStreamEvents {
  /** One `data` field of the request's stream. */
  data(data: string, f: InFlight): void;
  /** The stream cannot deliver the response: settle the request with this reason. */
  fail(f: InFlight, reason: string): void;
  /** A modern stream broke before the response: send the request again. */
  reissue(f: InFlight): Promise<void>;
}

/**
 * Reads the SSE stream that answers a request, and when it ends without the
 * response, brings the response back: a legacy stream is resumed by a GET with
 * `Last-Event-ID` (2025-11-25 transports §resumability), a modern one is
 * re-issued (2026-07-28 streamable-http §client behavior), each with backoff
 * and given up after too many attempts without an event.
 */
export class RequestStreamReader {
  readonly #ctx: HttpClientContext;
  readonly #legacy: LegacyChannel;
  readonly #events: RequestStreamEvents;

  constructor(ctx: HttpClientContext, legacy: LegacyChannel, events: RequestStreamEvents) {
    this.#ctx = ctx;
    this.#legacy = legacy;
    this.#events = events;
  }

  /** Reads `body` until it ends; resolves once the next step (resume, re-issue or failure) is arranged. */
  async read(f: InFlight, body: ReadableStream<Uint8Array>): Promise<void> {
    let progressed = false;
    await readSseStream(
      body,
      {
        onEventId: (id) => {
          f.lastEventId = id;
          progressed = true;
        },
        onData: (data) => {
          progressed = true;
          this.#events.data(data, f);
        },
        onRetry: (ms) => (this.#ctx.serverRetry.ms = ms),
      },
      this.#ctx.maxMessage,
    );
    if (isOver(f, this.#ctx.lifetime)) return;
    f.attempts = progressed ? 0 : f.attempts + 1;
    if (f.modern) return this.#schedule(f, () => this.#events.reissue(f));
    if (f.lastEventId === undefined || this.#legacy.sessionId === undefined) {
      return this.#events.fail(f, 'the request stream ended before its response and cannot be resumed');
    }
    this.#schedule(f, () => this.#resume(f));
  }

  #schedule(f: InFlight, attempt: () => Promise<void>): void {
    if (f.attempts > this.#ctx.policy.maxRetries) return this.#events.fail(f, `the request stream broke ${f.attempts} times in a row`);
    const delay = reconnectDelay(this.#ctx.policy, Math.max(0, f.attempts - 1), f.modern ? undefined : this.#ctx.serverRetry.ms);
    const timer = this.#ctx.timers.after(delay, () => {
      if (f.phase.kind === 'waiting' && f.phase.timer === timer && !this.#ctx.lifetime.aborted) void attempt();
    });
    f.phase = { kind: 'waiting', timer };
  }

  async #resume(f: InFlight): Promise<void> {
    const signal = activate(f);
    let response: Response;
    try {
      response = await this.#ctx.fetch(this.#ctx.url, {
        method: 'GET',
        headers: this.#legacy.headers({ accept: 'text/event-stream', 'last-event-id': f.lastEventId! }),
        signal,
      });
    } catch {
      if (isOver(f, this.#ctx.lifetime)) return;
      f.attempts++;
      return this.#schedule(f, () => this.#resume(f));
    }
    if (isOver(f, this.#ctx.lifetime)) return discard(response);
    if (!response.ok || !response.body) {
      await discard(response);
      if (response.status === 404) void this.#legacy.reinitialize().catch((cause: unknown) => this.#ctx.report('re-initialize failed', cause));
      return this.#events.fail(f, `resuming the request stream was refused (HTTP ${response.status})`);
    }
    await this.read(f, response.body);
  }
}

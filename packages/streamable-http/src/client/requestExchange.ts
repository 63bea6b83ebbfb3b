import { type OutboundMessage } from '@tidings/protocol';
import { failedPostResponse, isLegacyInitialize, modernRequestHeaders } from '@tidings/protocol/http';
import { discard, JSON_AND_SSE, messageOf, type HttpClientContext } from './clientContext.js';
import { activate, isOver, type InFlight } from './inFlight.js';
import type { LegacyChannel } from './legacyChannel.js';
import { readJson } from './readBodies.js';
import { RequestStreamReader } from './requestStreamReader.js';
import type { Reissuer } from './reissuer.js';
import type { ToolListRefresh } from './toolListRefresh.js';

type Message = Readonly<Record<string, unknown>>;

/** Where the exchange hands what the wire answered. */
export interface RequestExchangeEvents {
  /** A message from the request's reply, already parsed (a JSON body, or a refusal made into a response). */
  message(message: Message, f: InFlight): void;
  /** One `data` field of the request's SSE stream. */
  data(data: string, f: InFlight): void;
  /** The wire cannot answer the request: settle it with this reason. */
  fail(f: InFlight, reason: string): void;
  /**
   * The legacy `initialize` (serialised as `data`) was refused with this
   * status and error code; resolves true when a fallback took it over.
   */
  refusedHandshake(f: InFlight, data: string, status: number, errorCode: number): Promise<boolean>;
}

/**
 * Sends each request the engine makes as a POST and reads its reply, a JSON
 * body or an SSE stream (2025-11-25 transports §sending messages), with one
 * second chance each after a re-initialize (the session expired) and after a
 * `tools/list` refresh (a stale `Mcp-Param-*` header).
 */
export class RequestExchange {
  readonly #ctx: HttpClientContext;
  readonly #legacy: LegacyChannel;
  readonly #ids: Reissuer;
  readonly #tools: ToolListRefresh;
  readonly #events: RequestExchangeEvents;
  readonly #reader: RequestStreamReader;

  constructor(ctx: HttpClientContext, legacy: LegacyChannel, ids: Reissuer, tools: ToolListRefresh, events: RequestExchangeEvents) {
    this.#ctx = ctx;
    this.#legacy = legacy;
    this.#ids = ids;
    this.#tools = tools;
    this.#events = events;
    this.#reader = new RequestStreamReader(ctx, legacy, {
      data: events.data,
      fail: events.fail,
      reissue: (f) => this.#post(f, this.#ids.reissue(f), activate(f)),
    });
  }

  /** Sends a request the engine serialised as `data`; its outcome, failures included, reaches the engine as its response. */
  start(message: OutboundMessage, data: string): void {
    const modern = modernRequestHeaders(message) !== undefined;
    const handshake = isLegacyInitialize(message);
    if (handshake) this.#legacy.initializing(message);
    if (modern) this.#tools.noteRequest(message);
    const controller = new AbortController();
    const f: InFlight = {
      engineId: message.id!,
      wireId: message.id!,
      message,
      modern,
      handshake,
      phase: { kind: 'active', controller },
      lastEventId: undefined,
      attempts: 0,
      retried: new Set(),
    };
    this.#ids.track(f);
    void this.#post(f, data, controller.signal);
  }

  async #post(f: InFlight, data: string, signal: AbortSignal): Promise<void> {
    const ctx = this.#ctx;
    if (!f.modern && !f.handshake && this.#legacy.lost) {
      // The last re-initialize failed (the server was away): try again before sending without a session.
      try {
        await this.#legacy.reinitialize();
      } catch (cause) {
        return this.#events.fail(f, `the session expired and re-initializing failed: ${messageOf(cause)}`);
      }
      if (isOver(f, ctx.lifetime)) return;
    }
    const headers = f.modern ? this.#tools.modernHeaders(f.message) : this.#legacy.headers({ 'content-type': 'application/json', accept: JSON_AND_SSE });
    const sentSession = f.modern ? undefined : this.#legacy.sessionId;
    let response: Response;
    try {
      response = await ctx.fetch(ctx.url, { method: 'POST', headers, body: data, signal });
    } catch (cause) {
      return this.#events.fail(f, `could not reach the server: ${messageOf(cause)}`);
    }
    if (isOver(f, ctx.lifetime)) return discard(response);
    if (!f.modern) this.#legacy.capture(response);
    if (response.status === 404 && sentSession !== undefined && !f.retried.has('reinitialize')) {
      // The session expired: start a new one and send this request again (SDK defect #1708).
      await discard(response);
      f.retried.add('reinitialize');
      try {
        await this.#legacy.reinitialize();
      } catch (cause) {
        return this.#events.fail(f, `the session expired and re-initializing failed: ${messageOf(cause)}`);
      }
      if (isOver(f, ctx.lifetime)) return;
      return this.#post(f, data, signal);
    }
    if (!response.ok) return this.#refused(f, data, signal, response);
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream') && response.body) return this.#reader.read(f, response.body);
    if (type.includes('application/json')) {
      const body = await readJson(response);
      for (const message of Array.isArray(body) ? body : [body]) {
        if (typeof message === 'object' && message !== null) this.#events.message(message as Message, f);
      }
      if (f.phase.kind !== 'settled') this.#events.fail(f, 'the JSON reply did not answer the request');
      return;
    }
    await discard(response);
    this.#events.fail(f, `unexpected HTTP ${response.status} reply without a response`);
  }

  async #refused(f: InFlight, data: string, signal: AbortSignal, response: Response): Promise<void> {
    const failure = failedPostResponse(response.status, await readJson(response), f.wireId);
    if (f.modern && !f.retried.has('tool-list') && this.#tools.refreshesOn(f.message, failure.error.code)) {
      // The tool's inputSchema may have changed: re-read it and send the call again (2026-07-28 streamable-http §client behavior).
      f.retried.add('tool-list');
      await this.#tools.refresh(f.message);
      if (isOver(f, this.#ctx.lifetime)) return;
      return this.#post(f, data, signal);
    }
    if (f.handshake && (await this.#events.refusedHandshake(f, data, response.status, failure.error.code))) return;
    this.#events.message(failure, f);
  }
}

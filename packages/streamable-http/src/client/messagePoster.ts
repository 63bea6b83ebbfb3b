import { TransportError, type OutboundMessage } from '@tidings/protocol';
import { isLegacyInitialized, modernRequestHeaders } from '@tidings/protocol/http';
import { discard, JSON_AND_SSE, messageOf, type HttpClientContext } from './clientContext.js';
import type { LegacyChannel } from './legacyChannel.js';
import type { ToolListRefresh } from './toolListRefresh.js';

/**
 * POSTs what the engine sends that expects no reply: notifications and the
 * client's responses (2025-11-25 transports §sending messages, item 4: the
 * server accepts them with 202). The promise is the engine's backpressure:
 * it settles once the server took the message.
 */
export class MessagePoster {
  readonly #ctx: HttpClientContext;
  readonly #legacy: LegacyChannel;
  readonly #tools: ToolListRefresh;

  constructor(ctx: HttpClientContext, legacy: LegacyChannel, tools: ToolListRefresh) {
    this.#ctx = ctx;
    this.#legacy = legacy;
    this.#tools = tools;
  }

  /**
   * Posts `data`; `outbound` is the notification as the engine built it,
   * absent for a response or text a caller wrote itself (sent in the legacy
   * session as it is). Rejects with a TransportError when the server cannot
   * be reached or refuses the message.
   */
  post(data: string, outbound: OutboundMessage | undefined): Promise<void> {
    const modern = outbound !== undefined && modernRequestHeaders(outbound) !== undefined;
    const initialized = outbound !== undefined && isLegacyInitialized(outbound);
    if (initialized) this.#legacy.initialized(data);
    return this.#post(data, outbound, modern, initialized, false);
  }

  async #post(data: string, outbound: OutboundMessage | undefined, modern: boolean, initialized: boolean, retried: boolean): Promise<void> {
    const sentSession = modern ? undefined : this.#legacy.sessionId;
    const headers = modern ? this.#tools.modernHeaders(outbound!) : this.#legacy.headers({ 'content-type': 'application/json', accept: JSON_AND_SSE });
    let response: Response;
    try {
      response = await this.#ctx.fetch(this.#ctx.url, { method: 'POST', headers, body: data });
    } catch (cause) {
      throw new TransportError(`could not reach the server: ${messageOf(cause)}`, { cause });
    }
    await discard(response);
    if (response.status === 404 && sentSession !== undefined && !retried) {
      // The session expired (SDK defect #1708); the replay sends `initialized` itself, so only another message goes again.
      await this.#legacy.reinitialize();
      if (!initialized) await this.#post(data, outbound, modern, initialized, true);
      return;
    }
    if (!response.ok) throw new TransportError(`the server refused the message (HTTP ${response.status})`);
    if (initialized) this.#legacy.openGet();
  }
}

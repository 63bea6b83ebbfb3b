import { type RequestId } from '@tidings/protocol';
import { modernRequestHeaders, nextCursorOf, toolListPageRequest, ToolParamBook } from '@tidings/protocol/http';
import { discard, JSON_AND_SSE, type HttpClientContext } from './clientContext.js';
import { readAnswer } from './readBodies.js';

type Message = Readonly<Record<string, unknown>>;

/** Pages of `tools/list` read at most in one refresh: a server cannot keep the client paging forever. */
const MAX_TOOL_LIST_PAGES = 100;

type Run = { readonly kind: 'idle' } | { readonly kind: 'reading'; readonly done: Promise<void> };

/**
 * The modern headers of a request, `Mcp-Param-*` included (2026-07-28
 * streamable-http §custom headers), and the `tools/list` re-read that
 * refreshes them when the server refused a `tools/call` with HeaderMismatch,
 * since the tool's `inputSchema` may have changed (§client behavior).
 */
export class ToolListRefresh {
  readonly #ctx: HttpClientContext;
  readonly #book = new ToolParamBook();
  #run: Run = { kind: 'idle' };
  #pages = 0;

  constructor(ctx: HttpClientContext) {
    this.#ctx = ctx;
  }

  /** Notes a modern request going out, so the answer to a `tools/list` is learned. */
  noteRequest(message: Message): void {
    this.#book.noteRequest(message);
  }

  /** Every header of a modern POST: the caller's, the media types, the request metadata and the tool's parameters. */
  modernHeaders(message: Message): Record<string, string> {
    return {
      ...this.#ctx.baseHeaders(),
      'content-type': 'application/json',
      accept: JSON_AND_SSE,
      ...modernRequestHeaders(message),
      ...this.#book.headersFor(message),
    };
  }

  /** A modern response on its way to the engine: a `tools/list` answer is learned and loses its invalid tools. */
  incoming(response: Message): Message {
    return this.#book.incoming(response, (tool) => this.#ctx.report(`left out tool ${JSON.stringify(tool.name)} from tools/list: ${tool.reason}`));
  }

  /** Forgets a request that ended without a response. */
  settled(id: RequestId): void {
    this.#book.settled(id);
  }

  /** Whether a request refused with `errorCode` is worth sending again after a refresh. */
  refreshesOn(message: Message, errorCode: unknown): boolean {
    return this.#book.refreshesOn(message, errorCode);
  }

  /**
   * Reads every page of `tools/list` into the book, with the envelope of the
   * refused request. Concurrent callers share one read; it resolves, never
   * rejects: on failure the call goes out again with what the book knows, and
   * its own error speaks.
   */
  refresh(onBehalfOf: Message): Promise<void> {
    if (this.#run.kind === 'reading') return this.#run.done;
    const done = this.#readPages(onBehalfOf).finally(() => {
      this.#run = { kind: 'idle' };
    });
    this.#run = { kind: 'reading', done };
    return done;
  }

  async #readPages(onBehalfOf: Message): Promise<void> {
    const ctx = this.#ctx;
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_LIST_PAGES; page++) {
      const id = `tidings-tools-list-${++this.#pages}`;
      const request = toolListPageRequest(id, cursor, onBehalfOf);
      this.#book.noteRequest(request);
      let answer: Message | undefined;
      try {
        const response = await ctx.fetch(ctx.url, { method: 'POST', headers: this.modernHeaders(request), body: JSON.stringify(request), signal: ctx.lifetime });
        if (response.ok) answer = await readAnswer(response, id, ctx.maxMessage);
        else await discard(response);
      } catch {
        // Unreachable or closed: see `refresh`.
      }
      if (answer === undefined) return this.#book.settled(id);
      cursor = nextCursorOf(this.incoming(answer));
      if (cursor === undefined) return;
    }
  }
}

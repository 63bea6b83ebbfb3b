import { ERROR_CODES } from '../errors.js';
import type { RequestId } from '../schemas/jsonrpc.js';
import { headersOfParams, inspectParamHeaders, type ParamHeader } from './paramHeaders.js';

/** A tool left out of a `tools/list` result because its `x-mcp-header` annotations are invalid. */
export interface RejectedTool {
  readonly name: string;
  readonly reason: string;
}

/** The bounds of a {@link ToolParamBook}: a hostile server cannot grow a client's memory through it. */
const MAX_TOOLS = 10_000;
const MAX_PENDING_LISTS = 1_000;

type Message = Readonly<Record<string, unknown>>;

/**
 * What an HTTP client remembers of a server's tools to mirror their
 * `x-mcp-header` parameters into `Mcp-Param-*` headers (2026-07-28
 * streamable-http §custom headers, client behavior). It learns each
 * `tools/list` result that passes through, leaves out the tools whose
 * annotations are invalid, and names the headers of each `tools/call`.
 * Transports call it; the client role does not need to know.
 */
export class ToolParamBook {
  readonly #params = new Map<string, readonly ParamHeader[]>();
  readonly #pendingLists = new Set<RequestId>();

  /** Notes an outgoing request, so that the answer to a `tools/list` is recognised. */
  noteRequest(message: Message): void {
    if (message.method === 'tools/list' && message.id !== undefined && this.#pendingLists.size < MAX_PENDING_LISTS) {
      this.#pendingLists.add(message.id as RequestId);
    }
  }

  /** The `Mcp-Param-*` headers of an outgoing message: only a `tools/call` of a tool with annotated parameters has any. */
  headersFor(message: Message): Record<string, string> | undefined {
    if (message.method !== 'tools/call') return undefined;
    const params = message.params as { name?: unknown; arguments?: unknown } | undefined;
    const known = typeof params?.name === 'string' ? this.#params.get(params.name) : undefined;
    return known === undefined || known.length === 0 ? undefined : headersOfParams(known, params?.arguments);
  }

  /**
   * Reads an incoming response. The answer to a noted `tools/list` is learned
   * and comes back without its invalid tools, which `onRejected` names (the
   * spec asks for a warning); any other message comes back as it was.
   */
  incoming(message: Message, onRejected: (tool: RejectedTool) => void): Message {
    const id = message.id as RequestId | undefined;
    if (id === undefined || message.method !== undefined || !this.#pendingLists.delete(id)) return message;
    const result = message.result as { tools?: unknown } | undefined;
    if (!Array.isArray(result?.tools)) return message;
    const kept: unknown[] = [];
    for (const tool of result.tools as unknown[]) {
      const name = (tool as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') {
        kept.push(tool);
        continue;
      }
      const inspection = inspectParamHeaders((tool as { inputSchema?: unknown }).inputSchema);
      if ('invalid' in inspection) {
        this.#params.delete(name);
        onRejected({ name, reason: inspection.invalid });
        continue;
      }
      if (this.#params.has(name) || this.#params.size < MAX_TOOLS) this.#params.set(name, inspection.params);
      kept.push(tool);
    }
    return kept.length === result.tools.length ? message : { ...message, result: { ...result, tools: kept } };
  }

  /** Forgets a request that ended without a response. */
  settled(id: RequestId): void {
    this.#pendingLists.delete(id);
  }

  /**
   * Whether a failed request is worth sending again after re-reading
   * `tools/list`: a `tools/call` refused with HeaderMismatch, as the spec
   * advises, since the tool's `inputSchema` may have changed.
   */
  refreshesOn(message: Message, errorCode: unknown): boolean {
    return message.method === 'tools/call' && errorCode === ERROR_CODES.HeaderMismatch;
  }
}

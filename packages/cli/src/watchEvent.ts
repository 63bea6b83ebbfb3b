import type { ContentBlock } from '@tidings/protocol';

/** The fields every event has. */
interface EventBase {
  /** When it happened, ISO 8601. */
  readonly time: string;
  /** The server's name (its key in the config, or a name made from the URL or command). */
  readonly server: string;
}

/**
 * One thing `tidings watch` or `tidings call` saw, as `--json` prints it (one
 * object per line) and the views draw it. Discriminated by `type`:
 * - `state`: a server connected, dropped, is reconnecting, failed or closed;
 * - `notification`: any notification the server sent (logs, list_changed,
 *   resources/updated, custom methods), with its params as received;
 * - `progress`: progress of a call this program made (`--call`, `tidings call`);
 * - `result`: the result of such a call;
 * - `error`: a call or a set-up step (log level, subscription) that failed;
 * - `stderr`: a line a stdio server wrote to its stderr, its log.
 */
export type WatchEvent =
  | (EventBase & {
      readonly type: 'state';
      readonly state: 'ready' | 'connecting' | 'reconnecting' | 'failed' | 'closed';
      readonly transport: string;
      readonly era?: string;
      readonly protocolVersion?: string;
      readonly serverInfo?: { readonly name: string; readonly version: string };
      readonly pid?: number;
      readonly reconnected?: boolean;
      readonly attempt?: number;
      readonly delayMs?: number;
      readonly reason?: string;
    })
  | (EventBase & { readonly type: 'notification'; readonly method: string; readonly params: Record<string, unknown> | undefined })
  | (EventBase & {
      readonly type: 'progress';
      readonly tool: string;
      readonly token: string;
      readonly progress: number;
      readonly total?: number;
      readonly message?: string;
    })
  | (EventBase & {
      readonly type: 'result';
      readonly tool: string;
      readonly token: string;
      readonly isError: boolean;
      readonly content: readonly ContentBlock[];
      readonly structuredContent?: Record<string, unknown>;
      readonly durationMs: number;
    })
  | (EventBase & { readonly type: 'error'; readonly tool?: string; readonly token?: string; readonly code?: string; readonly message: string })
  | (EventBase & { readonly type: 'stderr'; readonly line: string });

/** A server as the views list it before anything happened. */
export interface WatchedServer {
  readonly name: string;
  /** `stdio`, `streamable-http`, `sse` or `websocket`. */
  readonly transport: string;
}

/** Receives events: a view, or a test. */
export type EventSink = (event: WatchEvent) => void;

/** The current time as events carry it. */
export const timestamp = (): string => new Date().toISOString();

/**
 * Something the engine noticed and dealt with on its own: a message it
 * dropped, a response nobody waited for, a user callback that threw. Reported
 * to the `onDiagnostic` option so nothing is lost silently.
 */
export type Diagnostic =
  | { readonly kind: 'progress-unknown-token'; readonly progressToken: unknown }
  | { readonly kind: 'progress-not-increasing'; readonly progressToken: unknown; readonly progress: number; readonly previous: number }
  | { readonly kind: 'progress-invalid'; readonly params: unknown }
  | { readonly kind: 'response-unknown-id'; readonly id: unknown }
  | { readonly kind: 'invalid-message'; readonly error: Error }
  | { readonly kind: 'notification-invalid'; readonly method: string; readonly error: Error }
  | { readonly kind: 'handler-error'; readonly method: string; readonly error: unknown }
  | { readonly kind: 'callback-error'; readonly where: string; readonly error: unknown }
  /**
   * A server-initiated notification that did not reach one recipient: its
   * transport refused it (a slow consumer past its bound, a closed stream).
   * `recipientId` is the id `server.sessions()` lists.
   */
  | { readonly kind: 'delivery-failed'; readonly recipientId: string; readonly method: string; readonly error: unknown }
  /**
   * The cluster bus failed one step (`publish`, `subscribe`, a count reply),
   * or brought a message this node could not read. A notification whose
   * publish failed reached this node's recipients only, and its count says so.
   */
  | { readonly kind: 'cluster-error'; readonly step: string; readonly error: unknown };

/** Receives {@link Diagnostic}s; must not throw. */
export type DiagnosticHandler = (diagnostic: Diagnostic) => void;

/**
 * The default hook: a user's handler that threw is a bug, and a notification
 * that missed a recipient is a loss, each worth one line on the console
 * (stderr in Node, never stdout); everything else is expected traffic noise
 * and stays quiet.
 */
export const defaultDiagnosticHandler: DiagnosticHandler = (diagnostic) => {
  if (diagnostic.kind === 'handler-error' || diagnostic.kind === 'callback-error') {
    globalThis.console?.error?.('[tidings]', diagnostic.kind, diagnostic.error);
  } else if (diagnostic.kind === 'cluster-error') {
    globalThis.console?.error?.(`[tidings] cluster ${diagnostic.step} failed:`, diagnostic.error);
  } else if (diagnostic.kind === 'delivery-failed') {
    const reason = diagnostic.error instanceof Error ? diagnostic.error.message : String(diagnostic.error);
    globalThis.console?.error?.(`[tidings] ${diagnostic.method} did not reach ${diagnostic.recipientId}: ${reason}`);
  }
};

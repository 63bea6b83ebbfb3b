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
  | { readonly kind: 'callback-error'; readonly where: string; readonly error: unknown };

/** Receives {@link Diagnostic}s; must not throw. */
export type DiagnosticHandler = (diagnostic: Diagnostic) => void;

/**
 * The default hook: a user's handler that threw is a bug worth one line on the
 * console (stderr in Node, never stdout); everything else is expected traffic
 * noise and stays quiet.
 */
export const defaultDiagnosticHandler: DiagnosticHandler = (diagnostic) => {
  if (diagnostic.kind === 'handler-error' || diagnostic.kind === 'callback-error') {
    globalThis.console?.error?.('[tidings]', diagnostic.kind, diagnostic.error);
  }
};

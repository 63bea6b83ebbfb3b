/** Ctrl-C (SIGINT) or SIGTERM, as the commands wait for it. */
export interface Interrupt {
  /** Aborted on the first signal: cancels a running call. */
  readonly signal: AbortSignal;
  /** Resolves with the first signal's name. */
  readonly interrupted: Promise<NodeJS.Signals>;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * Catches SIGINT and SIGTERM so the command can close cleanly: the first one
 * aborts `signal` and resolves `interrupted` (the command then closes its
 * connections and stops its stdio servers); a second one exits at once with
 * 130, for a server that will not stop.
 */
export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  let resolve!: (signal: NodeJS.Signals) => void;
  const interrupted = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error(`interrupted by ${signal}`));
    resolve(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    interrupted,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

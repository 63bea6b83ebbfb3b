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
 * A repeat this soon after the first signal is the same Ctrl-C delivered twice:
 * the terminal signals the whole process group, and a launcher in it (tsx,
 * pnpm) relays its copy to us as well. A person pressing again takes longer.
 */
const SAME_PRESS_MS = 1_000;

/**
 * Catches SIGINT and SIGTERM so the command can close cleanly: the first one
 * aborts `signal` and resolves `interrupted` (the command then closes its
 * connections and stops its stdio servers); another one later exits at once
 * with 130, for a server that will not stop.
 */
export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  let resolve!: (signal: NodeJS.Signals) => void;
  const interrupted = new Promise<NodeJS.Signals>((r) => (resolve = r));
  let first = 0;
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      if (Date.now() - first >= SAME_PRESS_MS) process.exit(130);
      return;
    }
    first = Date.now();
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

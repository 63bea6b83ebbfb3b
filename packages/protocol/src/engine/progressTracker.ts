import type { DiagnosticHandler } from '../diagnostics.js';
import type { ProgressToken } from '../schemas/primitives.js';

/** One progress update, as given to `onProgress`. */
export interface Progress {
  /** The value so far; strictly increasing. */
  readonly progress: number;
  /** The value at completion, if known. */
  readonly total?: number;
  /** Human-readable status. */
  readonly message?: string;
}

/** What the tracker needs from a request that listens for progress. */
export interface ProgressListener {
  /** Called for every accepted update, in arrival order. */
  readonly onProgress?: (progress: Progress) => void;
  /** Called for every accepted update: re-arms the idle timeout when enabled. */
  readonly touched: () => void;
}

interface Entry {
  readonly listener: ProgressListener;
  last: number;
}

/** Tokens of just-finished requests kept to drop their late progress quietly. */
const RECENTLY_FINISHED_LIMIT = 1024;

/**
 * Receive side of progress (PROTOCOL.md §progress): tokens of active requests,
 * strict monotonicity, and the quiet drop of progress that trails a response.
 */
export class ProgressTracker {
  // Created on first use: most connections of an idle server never see progress (PROTOCOL.md §performance).
  #active: Map<ProgressToken, Entry> | undefined;
  #finished: Set<ProgressToken> | undefined;
  readonly #report: DiagnosticHandler;

  constructor(report: DiagnosticHandler) {
    this.#report = report;
  }

  /** Whether a token is in use by an active request. */
  has(token: ProgressToken): boolean {
    return this.#active?.has(token) ?? false;
  }

  /** Binds a token to a request until {@link release}. */
  register(token: ProgressToken, listener: ProgressListener): void {
    this.#finished?.delete(token);
    (this.#active ??= new Map()).set(token, { listener, last: -Infinity });
  }

  /** The request settled: later progress for this token is dropped silently. */
  release(token: ProgressToken): void {
    if (!this.#active?.delete(token)) return;
    const finished = (this.#finished ??= new Set());
    finished.add(token);
    if (finished.size > RECENTLY_FINISHED_LIMIT) finished.delete(finished.values().next().value as ProgressToken);
  }

  /**
   * Handles the params of an inbound `notifications/progress`. Returns true
   * when the update was accepted (and should also reach notification handlers).
   */
  accept(params: unknown): boolean {
    const p = params as { progressToken?: unknown; progress?: unknown; total?: unknown; message?: unknown } | undefined;
    const token = p?.progressToken;
    if (
      typeof p !== 'object' || p === null ||
      (typeof token !== 'string' && typeof token !== 'number') ||
      typeof p.progress !== 'number' || !Number.isFinite(p.progress) ||
      (p.total !== undefined && (typeof p.total !== 'number' || !Number.isFinite(p.total))) ||
      (p.message !== undefined && typeof p.message !== 'string')
    ) {
      this.#report({ kind: 'progress-invalid', params });
      return false;
    }
    const entry = this.#active?.get(token);
    if (!entry) {
      if (!this.#finished?.has(token)) this.#report({ kind: 'progress-unknown-token', progressToken: token });
      return false;
    }
    if (!(p.progress > entry.last)) {
      this.#report({ kind: 'progress-not-increasing', progressToken: token, progress: p.progress, previous: entry.last });
      return false;
    }
    entry.last = p.progress;
    entry.listener.touched();
    const onProgress = entry.listener.onProgress;
    if (onProgress) {
      const update: Progress = { progress: p.progress };
      if (p.total !== undefined) (update as { total: number }).total = p.total as number;
      if (p.message !== undefined) (update as { message: string }).message = p.message as string;
      try {
        onProgress(update);
      } catch (error) {
        this.#report({ kind: 'callback-error', where: 'onProgress', error });
      }
    }
    return true;
  }
}

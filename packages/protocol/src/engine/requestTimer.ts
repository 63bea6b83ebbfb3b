import type { Clock, TimerHandle } from '../clock.js';

/** Why a {@link RequestTimer} fired. */
export type TimeoutKind = 'idle' | 'total';

/**
 * The two deadlines of one outbound request (PROTOCOL.md §progress): an idle
 * deadline that progress may push back, and a total deadline that nothing
 * moves. One host timer serves both; progress only moves a number, so a burst
 * of progress costs no timer churn.
 */
export interface RequestTimer {
  /** Pushes the idle deadline to `now + timeout` (a progress notification arrived). */
  touch(): void;
  /** Disarms the timer; the request settled. */
  stop(): void;
}

/**
 * Arms the deadlines of a request. `timeout` / `maxTotal` of `Infinity` disable
 * that deadline; `onTimeout` runs at most once.
 */
export function startRequestTimer(
  clock: Clock,
  timeout: number,
  maxTotal: number,
  onTimeout: (kind: TimeoutKind) => void,
): RequestTimer {
  const start = clock.now();
  let idleDeadline = start + timeout;
  const totalDeadline = start + maxTotal;
  let handle: TimerHandle | undefined;
  let stopped = false;

  const arm = (): void => {
    const due = Math.min(idleDeadline, totalDeadline);
    if (due === Infinity) return;
    handle = clock.setTimeout(fire, Math.max(0, due - clock.now()));
  };
  const fire = (): void => {
    handle = undefined;
    if (stopped) return;
    const now = clock.now();
    if (now >= totalDeadline) return finish('total');
    if (now >= idleDeadline) return finish('idle');
    arm();
  };
  const finish = (kind: TimeoutKind): void => {
    stopped = true;
    onTimeout(kind);
  };

  arm();
  return {
    touch() {
      if (!stopped) idleDeadline = clock.now() + timeout;
    },
    stop() {
      stopped = true;
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
  };
}

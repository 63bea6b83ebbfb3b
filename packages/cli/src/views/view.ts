import type { WatchedServer, WatchEvent } from '../watchEvent.js';

/**
 * Where events are shown. The commands call `event` for everything that
 * happens and `close` once, before they print a final result or exit.
 */
export interface View {
  event(event: WatchEvent): void;
  /** Draws the final state and releases the terminal (cursor, line wrapping, timers). */
  close(): void;
}

/** What every view is told up front. */
export interface ViewOptions {
  /** The servers, in config order, before any of them connected. */
  readonly servers: readonly WatchedServer[];
  /** Colours on or off (see `colorEnabled`). */
  readonly color: boolean;
  /**
   * `call` prints the result itself (on stdout), so the view shows no result
   * line and keeps the finished bar; `watch` shows a line and drops the bar.
   */
  readonly command: 'watch' | 'call';
}

/**
 * Whether to colour a stream: `--no-color` and `NO_COLOR` turn colours off,
 * `FORCE_COLOR` on; otherwise only a terminal that is not `dumb` gets them
 * (a CI log or a file gets plain text).
 */
export function colorEnabled(stream: { readonly isTTY?: boolean }, flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

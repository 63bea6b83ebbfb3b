import type { Writable } from 'node:stream';
import pc from 'picocolors';
import { describeEvent } from './describeEvent.js';
import { renderLine } from './segments.js';
import type { View, ViewOptions } from './view.js';

/** `HH:MM:SS.mmm` in local time. */
export function clockTime(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * Output that is not a terminal (a pipe, a file, a CI log): one line per
 * event, `time  server  what`, the server column as wide as the longest name.
 */
export function createPlainView(out: Writable, options: ViewOptions): View {
  const colors = pc.createColors(options.color);
  const width = Math.max(0, ...options.servers.map((s) => s.name.length));
  return {
    event(event) {
      // `call` prints its result on stdout, and a line per list change would bury its progress.
      if (options.command === 'call' && (event.type === 'result' || (event.type === 'notification' && event.method.endsWith('/list_changed')))) return;
      const line = renderLine([[clockTime(event.time), colors.gray], [`  ${event.server.padEnd(width)}  `, colors.bold], ...describeEvent(event, colors)]);
      out.write(`${line}\n`);
    },
    close: () => {},
  };
}

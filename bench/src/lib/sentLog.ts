import { readFileSync, writeFileSync } from 'node:fs';
import type { SendHook } from '../servers/burstTool.js';
import { monotonicMs } from './clock.js';

/**
 * Environment variable naming the file where a server in a child process (stdio,
 * spawned by the client library) writes when it handed each notification over:
 * the latency case sets it before the client spawns the server, which inherits it.
 */
export const SENT_LOG_ENV = 'TIDINGS_BENCH_SENT_LOG';

/**
 * The server side: a hook that records each send time in memory (nothing but a
 * clock read on the timed path) and writes them all, one `progress ms` line each,
 * when the burst is done, before the tool returns. Undefined when the variable is unset.
 */
export function sentLogHook(): SendHook | undefined {
  const file = process.env[SENT_LOG_ENV];
  if (!file) return undefined;
  const progress: number[] = [];
  const at: number[] = [];
  const hook: SendHook = (p) => {
    at.push(monotonicMs());
    progress.push(p);
  };
  hook.flush = () => {
    writeFileSync(file, progress.map((p, i) => `${p} ${at[i]}`).join('\n'));
    progress.length = 0;
    at.length = 0;
  };
  return hook;
}

/** The client side: the send times the server wrote for the call that just returned, by progress value. */
export function readSentLog(file: string, into: Map<number, number>): void {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) into.set(Number(line.slice(0, space)), Number(line.slice(space + 1)));
  }
}

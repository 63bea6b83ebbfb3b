#!/usr/bin/env node
/**
 * `pnpm reference-server --transport <stdio|websocket|sse|streamable-http> [--port N] [--host H]`
 *
 * Serves the reference server and prints `listening <url>` on stderr once it
 * accepts connections (`listening stdio` once it reads stdin). SIGINT and
 * SIGTERM close the transport and the server, and so does the end of stdin
 * on stdio; the process then exits 0. stdout belongs to the stdio protocol
 * and is never written here. Exit 2: bad arguments; 1: could not start.
 */
import { errorText } from './errorText.js';
import { parseReferenceArgs, REFERENCE_USAGE, type ReferenceArgs } from './parseReferenceArgs.js';
import { startReferenceTransport } from './startReferenceTransport.js';

/** How long a clean shutdown may take before the process exits anyway (a stuck socket must not keep it alive). */
const EXIT_GRACE_MS = 5_000;

async function main(): Promise<void> {
  let args: ReferenceArgs;
  try {
    args = parseReferenceArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${errorText(error)}\n${REFERENCE_USAGE}\n`);
    process.exitCode = 2;
    return;
  }

  let running: Awaited<ReturnType<typeof startReferenceTransport>>;
  try {
    running = await startReferenceTransport(args);
  } catch (error) {
    process.stderr.write(`could not start the ${args.transport} reference server: ${errorText(error)}\n`);
    process.exitCode = 1;
    return;
  }

  let stopping: Promise<void> | undefined;
  const stop = (why: string): void => {
    if (stopping) return;
    process.stderr.write(`stopping (${why})\n`);
    setTimeout(() => process.exit(process.exitCode ?? 0), EXIT_GRACE_MS).unref();
    stopping = running.close().then(() => void process.stderr.write('stopped\n'));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  void running.ended.then(() => stop('stdin ended'));

  process.stderr.write(`listening ${running.url}\n`);
}

void main();

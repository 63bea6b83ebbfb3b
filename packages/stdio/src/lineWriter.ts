import type { Writable } from 'node:stream';
import { nextTurn, TransportError } from '@tidings/protocol';
import { MAX_QUEUED_MESSAGES } from './constants.js';

/** Writes one message per line to a stream, with backpressure (DESIGN §3). */
export interface LineWriter {
  /**
   * Writes `data` and a `\n`. Resolves at once when the stream took the bytes
   * under its high-water mark or when `queued` is set (a server-initiated
   * notification never waits for the reader), otherwise on the stream's next
   * `drain` (one wait shared by every blocked write). Rejects with a
   * TransportError when the writer is ended, closed or failed, when `data`
   * holds a newline, or when more than `maxQueuedBytes` already wait for a
   * slow reader.
   */
  write(data: string, queued?: boolean): Promise<void>;
  /** Accepts no more writes and ends the stream; blocked writes resolve once it flushed. */
  end(): void;
  /** Accepts no more writes and rejects a pending drain wait with `reason`. Safe to call twice. */
  close(reason: TransportError): void;
}

const RESOLVED = Promise.resolve();

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: TransportError) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: TransportError) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Creates a writer over `output`. It listens to `drain` and `error` for its
 * whole life, never once per write. The `error` listener stays attached after
 * `close`: a late EPIPE from a reader that went away must not become an
 * uncaught exception. Errors are reported to `onError` until `close`.
 */
export function createLineWriter(
  output: Writable,
  maxQueuedBytes: number,
  onError: (error: TransportError) => void,
): LineWriter {
  let refusal: TransportError | undefined;
  let closed = false;
  let failed = false;
  let drain: Deferred | undefined;
  /** Writes the stream took above its high-water mark since the last `drain`: the queue's message count. */
  let backlog = 0;

  const settle = (reason?: TransportError): void => {
    const waiting = drain;
    drain = undefined;
    if (reason) waiting?.reject(reason);
    else waiting?.resolve();
  };
  const onDrain = (): void => {
    backlog = 0;
    settle();
  };
  const onStreamError = (cause: Error): void => {
    const error = new TransportError(`Cannot write: ${cause.message}`, { cause });
    refusal ??= error;
    settle(error);
    if (failed || closed) return;
    failed = true;
    onError(error);
  };
  output.on('drain', onDrain);
  output.on('error', onStreamError);

  return {
    write(data, queued) {
      if (refusal) return Promise.reject(refusal);
      if (output.destroyed || output.writableEnded) return Promise.reject(new TransportError('The output stream is closed'));
      // JSON.stringify escapes newlines, so only hand-made text can hold one (stdio.mdx: no embedded newlines).
      if (data.includes('\n')) return Promise.reject(new TransportError('A message must not contain a newline'));
      if (output.writableLength > maxQueuedBytes || backlog >= MAX_QUEUED_MESSAGES) {
        return Promise.reject(
          new TransportError(
            `Outbound queue is full: ${backlog} messages (${output.writableLength} bytes) wait for a slow reader ` +
              `(limit ${MAX_QUEUED_MESSAGES} messages or ${maxQueuedBytes} bytes)`,
          ),
        );
      }
      if (output.write(data + '\n')) return RESOLVED;
      backlog++;
      // Queued: never wait for the reader's drain, only let the event loop turn once (PROTOCOL.md §slow-consumers).
      if (queued) return nextTurn();
      drain ??= deferred();
      return drain.promise;
    },
    end() {
      refusal ??= new TransportError('The output stream is closed');
      // A stream that is ending emits no more `drain`; its `finish` means everything was flushed.
      if (drain) output.once('finish', onDrain);
      if (!output.writableEnded && !output.destroyed) output.end();
    },
    close(reason) {
      if (closed) return;
      closed = true;
      refusal ??= reason;
      output.off('drain', onDrain);
      output.off('finish', onDrain);
      settle(reason);
    },
  };
}

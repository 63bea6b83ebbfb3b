import type { Readable, Writable } from 'node:stream';
import { TransportError, type Transport, type TransportSink } from '@tidings/protocol';
import { DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_QUEUED_BYTES } from './constants.js';
import { openLineChannel, type LineChannel } from './lineChannel.js';

/** Options of {@link createStdioServerTransport}. */
export interface StdioServerTransportOptions {
  /** Where the client's messages arrive. @default process.stdin */
  readonly stdin?: Readable;
  /** Where messages to the client go; never ended by the transport. @default process.stdout */
  readonly stdout?: Writable;
  /**
   * Longest inbound message in bytes. A longer line is discarded as it
   * streams in and answered with a −32600 error whose `id` is null.
   * @default 4 MiB
   */
  readonly maxMessageBytes?: number;
  /**
   * Outbound bytes that may wait in `stdout`'s buffer for a slow client.
   * Past this, `send` rejects with a TransportError and the core reports the
   * message as not delivered (the slow-consumer policy).
   * @default 64 MiB
   */
  readonly maxQueuedBytes?: number;
  /**
   * Transport faults that did not close the wire (an oversized line, a write
   * error). They also go to the core's sink; this hook exists because a
   * server connection does not surface them to its owner.
   */
  readonly onError?: (error: TransportError) => void;
}

/** The server end of a stdio wire, as handed to `server.connect`. */
export interface StdioServerTransport extends Transport {
  readonly kind: 'stdio';
  /**
   * Resolves once the wire closed: stdin ended (the client's shutdown
   * signal, stdio.mdx §shutdown) or `close` was called. Never rejects.
   */
  readonly closed: Promise<void>;
}

/**
 * Creates the server end of a stdio wire (DESIGN §3): messages are read from
 * stdin and written to stdout, one per line. Reading starts when the core
 * calls `start`, so nothing arrives before it. Closing stops reading and
 * pauses stdin, so the process can exit; stdout is left open because the
 * process owns it.
 */
export function createStdioServerTransport(options: StdioServerTransportOptions = {}): StdioServerTransport {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  let channel: LineChannel | undefined;
  let sink: TransportSink | undefined;
  let isClosed = false;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  const shut = (reason?: Error): void => {
    if (isClosed) return;
    isClosed = true;
    channel?.close(new TransportError('The stdio transport is closed'));
    stdin.pause();
    markClosed();
    try {
      sink?.closed(reason);
    } catch {
      // The core's sink does not throw; another must not break a stream event.
    }
  };

  return {
    kind: 'stdio',
    closed,
    start(coreSink) {
      if (sink) throw new TransportError('The stdio server transport was already started');
      sink = {
        message: (data) => coreSink.message(data),
        closed: (reason) => coreSink.closed(reason),
        error(error) {
          coreSink.error(error);
          try {
            options.onError?.(error);
          } catch {
            // The owner's hook failing must not break the read loop.
          }
        },
      };
      if (isClosed) {
        sink.closed();
        return;
      }
      channel = openLineChannel({
        input: stdin,
        output: stdout,
        maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
        maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
        answerOversize: true,
        sink,
        onInputEnd: () => shut(),
      });
    },
    send(data, sendOptions) {
      if (!channel || isClosed) return Promise.reject(new TransportError('The stdio transport is not open'));
      return channel.send(data, sendOptions?.queued);
    },
    close() {
      shut();
      return Promise.resolve();
    },
  };
}

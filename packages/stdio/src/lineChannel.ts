import type { Readable, Writable } from 'node:stream';
import { ProtocolError, TransportError, type TransportSink } from '@tidings/protocol';
import { createLineReader } from './lineReader.js';
import { createLineWriter, type LineWriter } from './lineWriter.js';

/** Options of {@link openLineChannel}. */
export interface LineChannelOptions {
  /** Where messages arrive, one per line. */
  readonly input: Readable;
  /** Where messages go, one per line. */
  readonly output: Writable;
  /** Longest inbound line in bytes. */
  readonly maxMessageBytes: number;
  /** Outbound bytes allowed to wait for a slow reader. */
  readonly maxQueuedBytes: number;
  /**
   * Whether an oversized inbound line is answered on `output` with a
   * −32600 error (`id: null`). Servers answer; a client does not, because
   * a modern client must not write responses (stdio.mdx §sending messages).
   */
  readonly answerOversize: boolean;
  /** The core's sink: messages and faults go here. */
  readonly sink: TransportSink;
  /** The input ended or broke; called once, after the last message was delivered. */
  readonly onInputEnd: () => void;
}

/** Both directions of a newline-delimited JSON wire, as the transports use them. */
export interface LineChannel {
  /** See {@link LineWriter.write}. */
  readonly send: (data: string, queued?: boolean) => Promise<void>;
  /** Ends the output stream after a flush; later sends reject. */
  endOutput(): void;
  /** Stops reading (listeners removed) and rejects blocked and later sends with `reason`. */
  close(reason: TransportError): void;
}

/**
 * Starts reading `input` into the sink and returns the writing half. The
 * framing is the one of DESIGN §3: UTF-8, `\n` or `\r\n`, bounded lines. A
 * line that is not valid JSON-RPC goes to the core as it is, and the core
 * answers it; only the size limit is enforced here, since the core never
 * sees the discarded bytes.
 */
export function openLineChannel(options: LineChannelOptions): LineChannel {
  const { input, output, maxMessageBytes, sink } = options;
  let ended = false;
  const report = (error: TransportError): void => {
    try {
      sink.error(error);
    } catch {
      // A sink that throws must not break the stream's event loop.
    }
  };
  const writer: LineWriter = createLineWriter(output, options.maxQueuedBytes, report);
  const oversizeAnswer = JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: new ProtocolError(
      'InvalidRequest',
      `Message too large: a line may hold at most ${maxMessageBytes} bytes; it was discarded`,
      { data: { maxMessageBytes } },
    ).toJSON(),
  });

  const reader = createLineReader({
    maxLineBytes: maxMessageBytes,
    onLine: (line) => {
      try {
        sink.message(line);
      } catch (error) {
        report(new TransportError('The sink failed to take a message', { cause: error }));
      }
    },
    onOversize: () => {
      // Like an HTTP 413, this is framing: the transport answers it itself.
      if (options.answerOversize) writer.write(oversizeAnswer).catch(() => {});
      report(new TransportError(`Discarded an inbound message longer than ${maxMessageBytes} bytes`));
    },
  });

  const onData = (chunk: Buffer | string): void => reader.push(chunk);
  const onEnd = (): void => {
    if (ended) return;
    ended = true;
    reader.end();
    detach();
    options.onInputEnd();
  };
  const onError = (cause: Error): void => {
    if (!ended) report(new TransportError(`Cannot read: ${cause.message}`, { cause }));
  };
  // The `error` listener stays: a late read error must not become an uncaught exception.
  const detach = (): void => {
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('close', onEnd);
  };
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('close', onEnd);
  input.on('error', onError);
  // A stream paused on purpose (by an earlier transport) does not flow again by itself.
  input.resume();

  return {
    send: writer.write,
    endOutput: () => writer.end(),
    close(reason) {
      ended = true;
      detach();
      writer.close(reason);
    },
  };
}

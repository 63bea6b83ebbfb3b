import type { ServerResponse } from 'node:http';
import { nextTurn, TransportError, type JSONRPCMessage, type Transport, type TransportSink } from '@tidings/protocol';

/** Bounds of one SSE stream, from the handler's options. */
export interface SseSessionLimits {
  /** Interval of `: keep-alive` comments; 0 disables them. */
  readonly keepAliveMs: number;
  /** Bytes written while the socket is not drained before the stream is closed. */
  readonly maxQueuedBytes: number;
  /** Messages written while the socket is not drained before the stream is closed. */
  readonly maxQueuedMessages: number;
}

/** The server side of one HTTP+SSE connection: the GET stream plus the POSTs routed to it. */
export interface SseSessionTransport extends Transport {
  /** Shown as the session's `transport` in `server.sessions()`. */
  readonly kind: 'sse';
  /** HTTP+SSE exists only in the legacy era (2024-11-05): the core refuses discover and modern requests. */
  readonly eras: readonly ['legacy'];
  /** The id announced in the `endpoint` event; the server uses it as the session id. */
  readonly sessionId: string;
  /** Writes the stream's headers and the `endpoint` event. The handler calls it once, after `server.connect`. */
  open(endpointUri: string): void;
  /** Hands one message parsed from a POST to the server. The handler calls it only after `open`. */
  receive(message: JSONRPCMessage): void;
  /** Reports a refused POST (bad body) to the connection's owner; the stream stays open. */
  fault(error: TransportError): void;
}

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
  // Proxies such as nginx would otherwise hold events back in their buffers.
  'X-Accel-Buffering': 'no',
} as const;

const KEEP_ALIVE = ': keep-alive\n\n';

/** One settled promise shared by every write the socket took at once (the hot path). */
const WRITTEN = Promise.resolve();

/**
 * Creates the transport of one SSE stream (PROTOCOL.md §sse). Each message
 * goes out as a `message` event with an increasing `id`. Backpressure: `send`
 * resolves at once when `res.write` returned true or the send is `queued` (a
 * server-initiated notification); otherwise every send waits on one shared
 * `drain`. What is written while waiting is counted, and past
 * `maxQueuedBytes` or `maxQueuedMessages` the consumer is declared too slow:
 * the fault is reported, the stream is destroyed, pending sends reject with a
 * TransportError and the session ends, so one stuck client can never hold
 * unbounded memory (PROTOCOL.md §slow-consumers). `onEnded` runs once when the stream
 * is gone, whoever closed it.
 */
export function createSseSessionTransport(
  res: ServerResponse,
  sessionId: string,
  limits: SseSessionLimits,
  onEnded: () => void,
): SseSessionTransport {
  let sink: TransportSink | undefined;
  let ended = false;
  let nextEventId = 1;
  let queuedBytes = 0;
  let queuedMessages = 0;
  let drain: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;

  const onDrain = (): void => {
    const waiting = drain;
    drain = undefined;
    queuedBytes = 0;
    queuedMessages = 0;
    waiting?.resolve();
  };
  const onClose = (): void => end(undefined);
  const onError = (cause: Error): void => end(new TransportError('The SSE stream failed', { cause }));

  function end(reason: TransportError | undefined): void {
    if (ended) return;
    ended = true;
    if (keepAlive !== undefined) clearInterval(keepAlive);
    res.off('drain', onDrain);
    res.off('close', onClose);
    res.off('error', onError);
    drain?.reject(reason ?? new TransportError('The SSE stream closed'));
    drain = undefined;
    onEnded();
    sink?.closed(reason);
  }

  function write(frame: string, queued: boolean): Promise<void> {
    if (drain) {
      queuedBytes += Buffer.byteLength(frame);
      queuedMessages++;
      if (queuedBytes > limits.maxQueuedBytes || queuedMessages > limits.maxQueuedMessages) {
        const error = new TransportError(
          `The SSE client ${sessionId} reads too slowly: more than ${limits.maxQueuedMessages} messages or ` +
            `${limits.maxQueuedBytes} bytes are waiting, so the stream was closed and its session ended`,
        );
        sink?.error(error);
        end(error);
        res.destroy();
        return Promise.reject(error);
      }
      res.write(frame);
      return queued ? nextTurn() : drain.promise;
    }
    if (res.write(frame)) return WRITTEN;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    // Each caller handles its own copy; this keeps an unobserved rejection quiet.
    promise.catch(noop);
    drain = { promise, resolve, reject };
    res.once('drain', onDrain);
    return queued ? nextTurn() : promise;
  }

  res.on('close', onClose);
  res.on('error', onError);

  const transport: SseSessionTransport = {
    kind: 'sse',
    eras: ['legacy'] as const,
    sessionId,
    start(s) {
      if (sink) throw new TransportError('The SSE session transport was already started');
      sink = s;
    },
    open(endpointUri) {
      // The client may have gone before we got here; its 'close' already fired.
      if (res.destroyed) return end(undefined);
      res.writeHead(200, SSE_HEADERS);
      res.write(`event: endpoint\ndata: ${endpointUri}\n\n`);
      if (limits.keepAliveMs > 0) {
        keepAlive = setInterval(() => {
          // A stream that is still draining is not idle; a comment would only add to the queue.
          if (!drain && !ended) res.write(KEEP_ALIVE);
        }, limits.keepAliveMs);
        keepAlive.unref();
      }
    },
    receive(message) {
      if (ended) return;
      sink?.message(message);
    },
    fault(error) {
      sink?.error(error);
    },
    send(data, sendOptions) {
      if (ended) return Promise.reject(new TransportError('The SSE stream is closed'));
      return write(`event: message\nid: ${nextEventId++}\ndata: ${dataLines(data)}\n\n`, sendOptions?.queued === true);
    },
    close() {
      if (ended) return Promise.resolve();
      const stuck = drain !== undefined;
      end(undefined);
      // A stream stuck on a slow reader would never flush; drop it instead of waiting.
      if (stuck) res.destroy();
      else res.end();
      return Promise.resolve();
    },
  };
  return transport;
}

/** JSON from JSON.stringify has no raw line breaks; anything else is split into `data:` lines, which SSE joins with `\n`. */
function dataLines(data: string): string {
  return data.includes('\n') || data.includes('\r') ? data.split(/\r\n|\r|\n/).join('\ndata: ') : data;
}

function noop(): void {}

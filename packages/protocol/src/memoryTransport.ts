import { TransportError } from './errors.js';
import type { Transport, TransportSink } from './transport.js';

/** Options of {@link createMemoryTransportPair}. */
export interface MemoryTransportPairOptions {
  /**
   * Messages one side may have in flight to the other before `send` rejects:
   * the bound of the in-memory queue.
   * @default 100_000
   */
  readonly maxQueued?: number;
}

/**
 * Two connected in-memory transports, for tests and in-process peers. Messages
 * are delivered asynchronously and in order, as strings, so nothing is shared
 * between the two sides by reference.
 */
export function createMemoryTransportPair(
  options: MemoryTransportPairOptions = {},
): [client: Transport, server: Transport] {
  const maxQueued = options.maxQueued ?? 100_000;
  const a = createSide('memory', maxQueued);
  const b = createSide('memory', maxQueued);
  a.peer = b;
  b.peer = a;
  return [a.transport, b.transport];
}

interface Side {
  peer?: Side;
  sink?: TransportSink;
  early: string[];
  queued: number;
  closed: boolean;
  transport: Transport;
  deliver(data: string): void;
  shut(reason?: Error): void;
}

function createSide(kind: string, maxQueued: number): Side {
  const side: Side = {
    early: [],
    queued: 0,
    closed: false,
    deliver(data) {
      if (side.closed) return;
      if (side.sink) side.sink.message(data);
      else side.early.push(data);
    },
    shut(reason) {
      if (side.closed) return;
      side.closed = true;
      side.sink?.closed(reason);
    },
    transport: {
      kind,
      start(sink) {
        side.sink = sink;
        const early = side.early.splice(0);
        for (const data of early) sink.message(data);
      },
      send(data) {
        const peer = side.peer;
        if (side.closed || !peer || peer.closed) {
          return Promise.reject(new TransportError('memory transport is closed'));
        }
        if (side.queued >= maxQueued) {
          return Promise.reject(new TransportError(`memory transport queue is full (${maxQueued} messages)`));
        }
        side.queued++;
        queueMicrotask(() => {
          side.queued--;
          peer.deliver(data);
        });
        return Promise.resolve();
      },
      close() {
        const peer = side.peer;
        // Let messages already in flight arrive first, as a socket would.
        queueMicrotask(() => {
          side.shut();
          peer?.shut();
        });
        return Promise.resolve();
      },
    },
  };
  return side;
}

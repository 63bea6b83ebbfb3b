import { META } from '../../src/constants.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import type { Server } from '../../src/server/createServer.js';
import { TASKS_EXTENSION } from '../../src/tasks/taskState.js';
import { settleOn, type FakeClock } from '../helpers/fakeClock.js';

/** Capabilities of a modern client that declared the tasks extension (and can answer input). */
export const WITH_TASKS = { elicitation: {}, sampling: {}, roots: {}, extensions: { [TASKS_EXTENSION]: {} } };

/** A raw wire to a server, for the tasks tests: every message the server sends is kept. */
export interface TasksWire {
  /** Every message received, in order. */
  readonly received: Array<Record<string, any>>;
  /** Sends a modern request (declaring `capabilities`) and resolves with its response, firing what is due on the clock meanwhile. */
  modern(method: string, params?: Record<string, unknown>, capabilities?: Record<string, unknown>): Promise<Record<string, any>>;
  /** Sends a modern request without waiting for its answer (a listen request); resolves with its id. */
  open(method: string, params?: Record<string, unknown>, capabilities?: Record<string, unknown>): Promise<number>;
  /** Sends a raw JSON-RPC request and resolves with its response. */
  raw(message: Record<string, unknown>): Promise<Record<string, any>>;
  /** Sends a raw JSON-RPC notification. */
  notify(message: Record<string, unknown>): Promise<void>;
  /** Notifications received with this method. */
  notifications(method: string): Array<Record<string, any>>;
}

/** Connects a raw peer to `server` over a memory pair; requests settle on `clock`. */
export function tasksWire(server: Server, clock: FakeClock): TasksWire {
  const [a, b] = createMemoryTransportPair();
  const received: Array<Record<string, any>> = [];
  const waiting = new Map<unknown, (answer: Record<string, any>) => void>();
  a.start({
    message: (data) => {
      const message = JSON.parse(data as string) as Record<string, any>;
      received.push(message);
      if (!('method' in message)) {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      }
    },
    closed: () => {},
    error: () => {},
  });
  server.connect(b);
  let id = 0;
  const envelope = (params: Record<string, unknown>, capabilities: Record<string, unknown>) => ({
    ...params,
    _meta: {
      ...(params._meta as Record<string, unknown> | undefined),
      [META.protocolVersion]: '2026-07-28',
      [META.clientInfo]: { name: 'raw', version: '1' },
      [META.clientCapabilities]: capabilities,
    },
  });
  const raw = async (message: Record<string, unknown>): Promise<Record<string, any>> => {
    const answer = new Promise<Record<string, any>>((resolve) => waiting.set(message.id, resolve));
    await a.send(JSON.stringify(message));
    return settleOn(clock, answer);
  };
  return {
    received,
    modern: (method, params = {}, capabilities = WITH_TASKS) => raw({ jsonrpc: '2.0', id: ++id, method, params: envelope(params, capabilities) }),
    async open(method, params = {}, capabilities = WITH_TASKS) {
      const requestId = ++id;
      await a.send(JSON.stringify({ jsonrpc: '2.0', id: requestId, method, params: envelope(params, capabilities) }));
      await clock.advance(0);
      return requestId;
    },
    raw,
    async notify(message) {
      await a.send(JSON.stringify(message));
      await clock.advance(0);
    },
    notifications: (method) => received.filter((m) => m.method === method),
  };
}

/** A promise with its settlers, for work the test finishes by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

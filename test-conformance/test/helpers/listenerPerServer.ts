import type { Server } from '@tidings/protocol';
import type { ConnectContext } from '../../src/index.js';

/**
 * One listener (HTTP, WebSocket, SSE) per reference server: the first client a
 * scenario opens starts it, the rest reuse it, and the scenario's cleanup
 * closes it. Returns the listener's URL.
 */
export function listenerPerServer<L extends { readonly url: string; close(): Promise<void> }>(
  start: (server: Server) => Promise<L>,
): (server: Server, context: ConnectContext) => Promise<string> {
  const listening = new WeakMap<Server, Promise<L>>();
  return async (server, { onCleanup }) => {
    let listener = listening.get(server);
    if (!listener) {
      const started = start(server);
      listener = started;
      listening.set(server, started);
      onCleanup(async () => (await started).close());
    }
    return (await listener).url;
  };
}

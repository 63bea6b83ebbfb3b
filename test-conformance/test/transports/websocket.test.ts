import type { Server } from '@tidings/protocol';
import { createWebSocketClientTransport, createWebSocketServer, type WebSocketServer } from '@tidings/websocket';
import { runConformance } from '../../src/index.js';

const listening = new WeakMap<Server, Promise<WebSocketServer>>();

runConformance({
  name: 'websocket',
  async connect(server, { onCleanup }) {
    let wss = listening.get(server);
    if (!wss) {
      wss = createWebSocketServer({ server, port: 0 });
      listening.set(server, wss);
      const started = wss;
      onCleanup(async () => (await started).close());
    }
    return createWebSocketClientTransport((await wss).url);
  },
});

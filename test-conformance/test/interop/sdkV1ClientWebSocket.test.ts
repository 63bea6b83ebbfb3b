import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import type { Server } from '@tidings/protocol';
import { createWebSocketServer, type WebSocketServer } from '@tidings/websocket';
import { afterAll } from 'vitest';
import { WebSocket } from 'ws';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance } from '../../src/index.js';

// v1's WebSocketClientTransport uses the global WebSocket, which Node 20 lacks; lend it `ws` for this file only.
const globals = globalThis as { WebSocket?: unknown };
const nativeWebSocket = globals.WebSocket;
if (nativeWebSocket === undefined) {
  globals.WebSocket = WebSocket;
  afterAll(() => {
    delete globals.WebSocket;
  });
}

const listening = new WeakMap<Server, Promise<WebSocketServer>>();

runConformance({
  name: 'sdk-v1-client/websocket',
  eras: ['legacy'],
  async connectClient(server, { onCleanup }, options) {
    let wss = listening.get(server);
    if (!wss) {
      wss = createWebSocketServer({ server, port: 0 });
      listening.set(server, wss);
      const started = wss;
      onCleanup(async () => (await started).close());
    }
    return createSdkV1Driver(new WebSocketClientTransport(new URL((await wss).url)), options);
  },
  capabilities: {
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
});

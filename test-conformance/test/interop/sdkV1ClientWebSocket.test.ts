import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { createWebSocketServer } from '@tidings/websocket';
import { afterAll } from 'vitest';
import { WebSocket } from 'ws';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { SDK_CLIENT_CAPABILITIES } from '../../src/drivers/sdkClientCapabilities.js';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// v1's WebSocketClientTransport uses the global WebSocket, which Node 20 lacks; lend it `ws` for this file only.
const globals = globalThis as { WebSocket?: unknown };
const nativeWebSocket = globals.WebSocket;
if (nativeWebSocket === undefined) {
  globals.WebSocket = WebSocket;
  afterAll(() => {
    delete globals.WebSocket;
  });
}

const urlOf = listenerPerServer((server) => createWebSocketServer({ server, port: 0 }));

runConformance({
  name: 'sdk-v1-client/websocket',
  eras: ['legacy'],
  async connectClient(server, { onCleanup }, options) {
    const url = await urlOf(server, { onCleanup });
    return createSdkV1Driver(new WebSocketClientTransport(new URL(url)), options);
  },
  capabilities: SDK_CLIENT_CAPABILITIES,
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

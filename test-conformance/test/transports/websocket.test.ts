import { createWebSocketClientTransport, createWebSocketServer } from '@tidings/websocket';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

const urlOf = listenerPerServer((server) => createWebSocketServer({ server, port: 0 }));

runConformance({
  name: 'websocket',
  async connect(server, { onCleanup }) {
    const url = await urlOf(server, { onCleanup });
    return createWebSocketClientTransport(url);
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

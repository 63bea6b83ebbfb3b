import { createSseClientTransport, createSseServer } from '@tidings/sse';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

const urlOf = listenerPerServer((server) => createSseServer({ server, port: 0 }));

runConformance({
  name: 'sse',
  eras: ['legacy'],
  async connect(server, { onCleanup }) {
    const url = await urlOf(server, { onCleanup });
    return createSseClientTransport(url);
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

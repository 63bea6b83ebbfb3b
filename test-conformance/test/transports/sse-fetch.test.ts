import { createSseClientTransport, createSseFetchHandler } from '@tidings/sse';
import { serveFetch } from '../../src/reference/fetchBridge.js';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// The fetch binding, served through Node's own Request/Response as Bun, Deno or a Worker would serve it.
const urlOf = listenerPerServer(async (server) => {
  const handler = createSseFetchHandler({ server, loopback: true });
  const bridge = await serveFetch(handler, '/sse');
  return { url: bridge.url, close: async () => (await handler.close(), await bridge.close()) };
});

runConformance({
  name: 'sse (fetch)',
  eras: ['legacy'],
  async connect(server, { onCleanup }) {
    return createSseClientTransport(await urlOf(server, { onCleanup }));
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

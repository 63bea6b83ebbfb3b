import { createStreamableHttpClientTransport, createStreamableHttpFetchHandler } from '@tidings/streamable-http';
import { serveFetch } from '../../src/reference/fetchBridge.js';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// The fetch binding, served through Node's own Request/Response as Bun, Deno or a Worker would serve it.
const urlOf = listenerPerServer(async (server) => {
  const handler = createStreamableHttpFetchHandler({ server, path: '/mcp', loopback: true });
  const bridge = await serveFetch(handler, '/mcp');
  return { url: bridge.url, close: async () => (await handler.close(), await bridge.close()) };
});

runConformance({
  name: 'streamable-http (fetch)',
  async connect(server, { onCleanup }) {
    return createStreamableHttpClientTransport(await urlOf(server, { onCleanup }));
  },
  // As the Node binding's cell: the client transport refuses non-JSON (see streamable-http.test.ts).
  capabilities: { rawText: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

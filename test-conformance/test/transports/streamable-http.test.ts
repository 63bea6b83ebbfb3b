import { createStreamableHttpClientTransport, createStreamableHttpServer } from '@tidings/streamable-http';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

const urlOf = listenerPerServer((server) => createStreamableHttpServer({ server, port: 0 }));

runConformance({
  name: 'streamable-http',
  async connect(server, { onCleanup }) {
    const url = await urlOf(server, { onCleanup });
    return createStreamableHttpClientTransport(url);
  },
  // The client transport reads each message to set the Mcp-Method/Mcp-Name headers, so it refuses
  // non-JSON; the server's 400/−32700 answer to a malformed body is covered by the adapter's status table.
  capabilities: { rawText: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

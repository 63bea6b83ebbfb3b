import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { runConformance } from '../../src/index.js';
import { startSdkV2HttpServer } from '../fixtures/sdkV2Server.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// One SDK v2 HTTP server per scenario (keyed by the suite's server, which it does not use).
const urlOf = listenerPerServer(() => startSdkV2HttpServer());

runConformance({
  name: 'tidings-client/sdk-v2-server-streamable-http',
  eras: ['legacy', 'modern'],
  async connect(server, context) {
    const transport = createStreamableHttpClientTransport(await urlOf(server, context));
    context.onCleanup(() => transport.close());
    return transport;
  },
  // The Tidings Streamable HTTP client transport refuses to POST text that is not JSON.
  capabilities: { referenceServer: false, rawText: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

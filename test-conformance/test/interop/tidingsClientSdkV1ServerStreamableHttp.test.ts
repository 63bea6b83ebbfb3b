import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { runConformance } from '../../src/index.js';
import { startSdkV1HttpServer } from '../fixtures/sdkV1Server.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// One SDK v1 Streamable HTTP server per scenario (keyed by the suite's server, which it does not use).
const urlOf = listenerPerServer(() => startSdkV1HttpServer('streamable-http'));

runConformance({
  name: 'tidings-client/sdk-v1-server-streamable-http',
  eras: ['legacy'],
  async connect(server, context) {
    const transport = createStreamableHttpClientTransport(await urlOf(server, context));
    context.onCleanup(() => transport.close());
    return transport;
  },
  // The Tidings Streamable HTTP client transport refuses to POST text that is not JSON.
  // SDK v1 servers answer invalid params with −32603, an unknown tool with an isError result, and send no −32700 on stdio.
  capabilities: { referenceServer: false, rawText: false, specErrors: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

import { createSseClientTransport } from '@tidings/sse';
import { runConformance } from '../../src/index.js';
import { startSdkV1HttpServer } from '../fixtures/sdkV1Server.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// One SDK v1 HTTP+SSE server per scenario (keyed by the suite's server, which it does not use).
const urlOf = listenerPerServer(() => startSdkV1HttpServer('sse'));

runConformance({
  name: 'tidings-client/sdk-v1-server-sse',
  eras: ['legacy'],
  connect: async (server, context) => createSseClientTransport(await urlOf(server, context)),
  // SDK v1 servers answer invalid params with −32603, an unknown tool with an isError result, and send no −32700 on stdio.
  capabilities: { referenceServer: false, specErrors: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

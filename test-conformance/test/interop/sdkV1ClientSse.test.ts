import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { createSseServer } from '@tidings/sse';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

const urlOf = listenerPerServer((server) => createSseServer({ server, port: 0 }));

runConformance({
  name: 'sdk-v1-client/sse',
  eras: ['legacy'],
  async connectClient(server, { onCleanup }, options) {
    const url = await urlOf(server, { onCleanup });
    return createSdkV1Driver(new SSEClientTransport(new URL(url)), options);
  },
  capabilities: {
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createStreamableHttpServer } from '@tidings/streamable-http';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance } from '../../src/index.js';
import { listenerPerServer } from '../helpers/listenerPerServer.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

const urlOf = listenerPerServer((server) => createStreamableHttpServer({ server, port: 0 }));

runConformance({
  name: 'sdk-v1-client/streamable-http',
  eras: ['legacy'],
  async connectClient(server, { onCleanup }, options) {
    const url = await urlOf(server, { onCleanup });
    return createSdkV1Driver(new StreamableHTTPClientTransport(new URL(url)), options);
  },
  capabilities: {
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

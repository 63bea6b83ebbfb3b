import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { SDK_CLIENT_CAPABILITIES } from '../../src/drivers/sdkClientCapabilities.js';
import { runConformance } from '../../src/index.js';
import { HTTP_RUNTIMES, sseUrlOf, withRuntime } from '../helpers/httpListeners.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// Served through each binding: Node's (req, res) handler and the fetch handler.
for (const runtime of HTTP_RUNTIMES) {
  const urlOf = sseUrlOf(runtime);
  runConformance({
    name: withRuntime('sdk-v1-client/sse', runtime),
    eras: ['legacy'],
    async connectClient(server, { onCleanup }, options) {
      const url = await urlOf(server, { onCleanup });
      return createSdkV1Driver(new SSEClientTransport(new URL(url)), options);
    },
    capabilities: SDK_CLIENT_CAPABILITIES,
    timeoutMs: SCENARIO_TIMEOUT_MS,
  });
}

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { SDK_CLIENT_CAPABILITIES } from '../../src/drivers/sdkClientCapabilities.js';
import { runConformance } from '../../src/index.js';
import { HTTP_RUNTIMES, streamableHttpUrlOf, withRuntime } from '../helpers/httpListeners.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// Served through each binding: Node's (req, res) handler and the fetch handler.
for (const runtime of HTTP_RUNTIMES) {
  const urlOf = streamableHttpUrlOf(runtime);
  runConformance({
    name: withRuntime('sdk-v1-client/streamable-http', runtime),
    eras: ['legacy'],
    async connectClient(server, { onCleanup }, options) {
      const url = await urlOf(server, { onCleanup });
      return createSdkV1Driver(new StreamableHTTPClientTransport(new URL(url)), options);
    },
    capabilities: SDK_CLIENT_CAPABILITIES,
    timeoutMs: SCENARIO_TIMEOUT_MS,
  });
}

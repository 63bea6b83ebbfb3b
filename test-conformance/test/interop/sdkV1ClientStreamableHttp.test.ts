import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Server } from '@tidings/protocol';
import { createStreamableHttpServer, type StreamableHttpServer } from '@tidings/streamable-http';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance } from '../../src/index.js';

const listening = new WeakMap<Server, Promise<StreamableHttpServer>>();

runConformance({
  name: 'sdk-v1-client/streamable-http',
  eras: ['legacy'],
  async connectClient(server, { onCleanup }, options) {
    let http = listening.get(server);
    if (!http) {
      http = createStreamableHttpServer({ server, port: 0 });
      listening.set(server, http);
      const started = http;
      onCleanup(async () => (await started).close());
    }
    return createSdkV1Driver(new StreamableHTTPClientTransport(new URL((await http).url)), options);
  },
  capabilities: {
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
});

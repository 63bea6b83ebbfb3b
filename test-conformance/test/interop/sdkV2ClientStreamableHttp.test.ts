import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Server } from '@tidings/protocol';
import { createStreamableHttpServer, type StreamableHttpServer } from '@tidings/streamable-http';
import { createSdkV2Driver } from '../../src/drivers/sdkV2Client.js';
import { runConformance } from '../../src/index.js';

const listening = new WeakMap<Server, Promise<StreamableHttpServer>>();

runConformance({
  name: 'sdk-v2-client/streamable-http',
  async connectClient(server, { onCleanup }, options) {
    let http = listening.get(server);
    if (!http) {
      http = createStreamableHttpServer({ server, port: 0 });
      listening.set(server, http);
      const started = http;
      onCleanup(async () => (await started).close());
    }
    return createSdkV2Driver(new StreamableHTTPClientTransport(new URL((await http).url)), options);
  },
  capabilities: {
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
});

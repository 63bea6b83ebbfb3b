import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Server } from '@tidings/protocol';
import { createSseServer, type SseServer } from '@tidings/sse';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance } from '../../src/index.js';

const listening = new WeakMap<Server, Promise<SseServer>>();

runConformance({
  name: 'sdk-v1-client/sse',
  eras: ['legacy'],
  async connectClient(server, { onCleanup }, options) {
    let sse = listening.get(server);
    if (!sse) {
      sse = createSseServer({ server, port: 0 });
      listening.set(server, sse);
      const started = sse;
      onCleanup(async () => (await started).close());
    }
    return createSdkV1Driver(new SSEClientTransport(new URL((await sse).url)), options);
  },
  capabilities: {
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
});

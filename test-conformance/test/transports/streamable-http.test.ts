import type { Server } from '@tidings/protocol';
import { createStreamableHttpClientTransport, createStreamableHttpServer, type StreamableHttpServer } from '@tidings/streamable-http';
import { runConformance } from '../../src/index.js';

const listening = new WeakMap<Server, Promise<StreamableHttpServer>>();

runConformance({
  name: 'streamable-http',
  async connect(server, { onCleanup }) {
    let http = listening.get(server);
    if (!http) {
      http = createStreamableHttpServer({ server, port: 0 });
      listening.set(server, http);
      const started = http;
      onCleanup(async () => (await started).close());
    }
    return createStreamableHttpClientTransport((await http).url);
  },
  // The client transport reads each message to set the Mcp-Method/Mcp-Name headers, so it refuses
  // non-JSON; the server's 400/−32700 answer to a malformed body is covered by the adapter's status table.
  capabilities: { rawText: false },
});

import type { Server } from '@tidings/protocol';
import { createSseClientTransport, createSseServer, type SseServer } from '@tidings/sse';
import { runConformance } from '../../src/index.js';

const listening = new WeakMap<Server, Promise<SseServer>>();

runConformance({
  name: 'sse',
  eras: ['legacy'],
  async connect(server, { onCleanup }) {
    let sse = listening.get(server);
    if (!sse) {
      sse = createSseServer({ server, port: 0 });
      listening.set(server, sse);
      const started = sse;
      onCleanup(async () => (await started).close());
    }
    return createSseClientTransport((await sse).url);
  },
});

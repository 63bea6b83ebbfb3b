import type { Server } from '@tidings/protocol';
import { createSseClientTransport } from '@tidings/sse';
import { runConformance } from '../../src/index.js';
import { startSdkV1HttpServer, type SdkV1HttpServer } from '../fixtures/sdkV1Server.js';

// One SDK v1 HTTP+SSE server per scenario (keyed by the suite's server, which it does not use).
const listening = new WeakMap<Server, Promise<SdkV1HttpServer>>();

runConformance({
  name: 'tidings-client/sdk-v1-server-sse',
  eras: ['legacy'],
  async connect(server, { onCleanup }) {
    let fixture = listening.get(server);
    if (!fixture) {
      fixture = startSdkV1HttpServer('sse');
      listening.set(server, fixture);
      const started = fixture;
      onCleanup(async () => (await started).close());
    }
    return createSseClientTransport((await fixture).url);
  },
  // SDK v1 servers answer invalid params with −32603, an unknown tool with an isError result, and send no −32700 on stdio.
  capabilities: { referenceServer: false, specErrors: false },
});

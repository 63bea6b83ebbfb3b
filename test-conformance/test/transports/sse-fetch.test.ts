import { createSseClientTransport } from '@tidings/sse';
import { runConformance } from '../../src/index.js';
import { sseUrlOf, withRuntime } from '../helpers/httpListeners.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// The fetch binding, served through Node's own Request/Response as Bun, Deno or a Worker would serve it.
const urlOf = sseUrlOf('fetch');

runConformance({
  name: withRuntime('sse', 'fetch'),
  eras: ['legacy'],
  async connect(server, { onCleanup }) {
    return createSseClientTransport(await urlOf(server, { onCleanup }));
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

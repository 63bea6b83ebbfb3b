import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { runConformance } from '../../src/index.js';
import { streamableHttpUrlOf, withRuntime } from '../helpers/httpListeners.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

// The fetch binding, served through Node's own Request/Response as Bun, Deno or a Worker would serve it.
const urlOf = streamableHttpUrlOf('fetch');

runConformance({
  name: withRuntime('streamable-http', 'fetch'),
  async connect(server, { onCleanup }) {
    return createStreamableHttpClientTransport(await urlOf(server, { onCleanup }));
  },
  // As the Node binding's cell: the client transport refuses non-JSON (see streamable-http.test.ts).
  capabilities: { rawText: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

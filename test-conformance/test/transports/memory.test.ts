import { createMemoryTransportPair } from '@tidings/protocol';
import { runConformance } from '../../src/index.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

runConformance({
  name: 'memory',
  connect(server, { onCleanup }) {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const connection = server.connect(serverSide);
    onCleanup(() => connection.close());
    return clientSide;
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

import { createStdioClientTransport } from '@tidings/stdio';
import { runConformance } from '../../src/index.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';
import { suiteServerProcess } from '../helpers/suiteServerProcess.js';

runConformance({
  name: 'stdio',
  // Each stdio client starts its own server process, so the suite's in-process server is not used.
  connect(_server, { onCleanup }) {
    const transport = createStdioClientTransport({ ...suiteServerProcess, args: [...suiteServerProcess.args], stderr: 'ignore' });
    onCleanup(() => transport.close());
    return transport;
  },
  capabilities: { multipleClients: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

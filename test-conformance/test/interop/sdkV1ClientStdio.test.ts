import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance } from '../../src/index.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';
import { suiteServerProcess } from '../helpers/suiteServerProcess.js';

runConformance({
  name: 'sdk-v1-client/stdio',
  eras: ['legacy'],
  // Each client starts its own Tidings server process (the suite's reference server plus scenario tools).
  connectClient: (_server, _context, options) =>
    createSdkV1Driver(
      new StdioClientTransport({ ...suiteServerProcess, args: [...suiteServerProcess.args], stderr: 'ignore' }),
      options,
    ),
  capabilities: {
    multipleClients: false,
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

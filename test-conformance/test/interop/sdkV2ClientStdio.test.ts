import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createSdkV2Driver } from '../../src/drivers/sdkV2Client.js';
import { runConformance } from '../../src/index.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';
import { suiteServerProcess } from '../helpers/suiteServerProcess.js';

runConformance({
  name: 'sdk-v2-client/stdio',
  // Each client starts its own Tidings server process (the suite's reference server plus scenario tools).
  connectClient: (_server, _context, options) =>
    createSdkV2Driver(
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

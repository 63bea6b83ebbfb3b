import { runConformance } from '../../src/index.js';
import { spawnFixture } from '../helpers/fixtureProcess.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

runConformance({
  name: 'tidings-client/sdk-v1-server-stdio',
  eras: ['legacy'],
  // Each client starts its own SDK v1 server process; the suite's in-process server is not used.
  connect: (_server, context) => spawnFixture('sdkV1Server', context),
  // SDK v1 servers answer invalid params with −32603, an unknown tool with an isError result, and send no −32700 on stdio.
  capabilities: { multipleClients: false, referenceServer: false, specErrors: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

import { runConformance } from '../../src/index.js';
import { spawnFixture } from '../helpers/fixtureProcess.js';
import { SCENARIO_TIMEOUT_MS } from '../helpers/scenarioTimeout.js';

runConformance({
  name: 'tidings-client/sdk-v2-server-stdio',
  eras: ['legacy', 'modern'],
  // Each client starts its own SDK v2 server process; the suite's in-process server is not used.
  connect: (_server, context) => spawnFixture('sdkV2Server', context),
  // SDK v2's stdio server transport hands a line that is not JSON to onerror and answers nothing (no −32700).
  capabilities: { multipleClients: false, referenceServer: false, specErrors: false },
  timeoutMs: SCENARIO_TIMEOUT_MS,
});

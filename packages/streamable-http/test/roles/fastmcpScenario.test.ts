import { expectFastMcpScenario } from '../../../../test-support/fastMcpScenario.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectHttpClient, ERAS, startHttp, waitFor } from '../helpers/harness.js';

afterEach(closeAll);

describe.each(ERAS)('the FastMCP long_running_task scenario over Streamable HTTP (%s)', (era) => {
  it('delivers 5 ordered progress notifications, 1..5 of each list_changed and the result', async () => {
    const server = createDemoServer();
    const http = await startHttp(server);
    const client = await connectHttpClient(http.url, { era });
    await expectFastMcpScenario(client);
    expect(client.era).toBe(era);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { expectFastMcpScenario } from '../../../../test-support/fastMcpScenario.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectClient, ERAS } from '../helpers/pair.js';

afterEach(closeAll);

describe.each(ERAS)('the FastMCP long_running_task scenario (%s)', (era) => {
  it('delivers 5 ordered progress notifications, coalesced list_changed and the result', async () => {
    const server = createDemoServer({ listChangedDebounceMs: 1 });
    // A client-level fallback handler too, as the FastMCP documentation's message_handler.
    const fallback: string[] = [];
    const client = await connectClient(server, { era, onNotification: (n) => fallback.push(n.method) });
    await expectFastMcpScenario(client);
    expect(client.era).toBe(era);
  });
});

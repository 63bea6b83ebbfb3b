import type { Diagnostic } from '@tidings/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { connectServers, type ConnectedServers } from '@tidings/client';
import type { ServerProcess } from '../../../test-support/childProcess.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { childEnv, referenceServerScript, startReference, stdioReferenceEntry } from './helpers/referenceServers.js';

const slowStart = fileURLToPath(new URL('./helpers/slowStart.mjs', import.meta.url));

let pool: ConnectedServers | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('a stdio server that is slow to start', () => {
  it('is still found modern: the server/discover probe clock starts at its first byte, not at the spawn', async () => {
    const probeTimeoutMs = 200;
    pool = await connectServers(
      {
        mcpServers: {
          // Sleeps eight probe timeouts before it reads stdin; it speaks both eras, so a lost probe would make it legacy.
          slow: { command: process.execPath, args: [slowStart, String(8 * probeTimeoutMs), referenceServerScript(), '--transport', 'stdio'] },
        },
      },
      { env: childEnv, era: 'auto', probeTimeoutMs },
    );
    expect(pool.failures).toEqual([]);
    expect(pool.state('slow')).toMatchObject({ kind: 'ready', era: 'modern' });
    // The client's timers run as usual once the server spoke.
    const result = await pool.get('slow').callTool('long_running_task', { task_name: 'after start', steps: 2 });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'after start' completed" }]);
  });
});

describe.each(['stdio', 'streamable-http', 'websocket'] as const)('closing a pool (%s)', (transport) => {
  let network: ServerProcess | undefined;
  beforeAll(async () => {
    if (transport !== 'stdio') network = await startReference(transport);
  });
  afterAll(() => network?.stop());

  it('ends the connection before the listen subscription: list changes still in flight are not reported as invalid', async () => {
    const diagnostics: Diagnostic[] = [];
    const entry = network ? { url: network.url } : stdioReferenceEntry();
    pool = await connectServers({ mcpServers: { ref: entry } }, { env: childEnv, era: 'modern', onDiagnostic: (d) => diagnostics.push(d) });
    let changes = 0;
    pool.on('notifications/tools/list_changed', () => changes++);
    await pool.get('ref').listening();
    // Keeps list changes coming through the subscription until the connection ends.
    const running = pool
      .get('ref')
      .callTool('chaos_broadcast_burst', { count: 10_000, method: 'notifications/tools/list_changed' })
      .catch((error: unknown) => error);
    await waitFor(() => expect(changes).toBeGreaterThan(3));

    await pool.close();
    pool = undefined;
    await running;
    expect(diagnostics.filter((d) => d.kind === 'notification-invalid')).toEqual([]);
  });
});

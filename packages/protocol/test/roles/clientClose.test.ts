import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectClient } from '../helpers/pair.js';

afterEach(closeAll);

describe('closing a modern client while notifications are on their way', () => {
  it('reports none of them as invalid: the listen ends with the connection, not before it', async () => {
    const server = createDemoServer({ listChangedDebounceMs: 0 });
    const diagnostics: Diagnostic[] = [];
    const client = await connectClient(server, { era: 'modern', onDiagnostic: (d) => diagnostics.push(d) });
    client.on('notifications/tools/list_changed', () => {});
    client.on('custom/tick', () => {});
    await client.listening();
    // Queued now, delivered while the client closes.
    for (let i = 0; i < 50; i++) void server.broadcast('custom/tick', { i }).catch(() => 0);
    await client.close();
    expect(diagnostics.filter((d) => d.kind === 'notification-invalid')).toEqual([]);
  });
});

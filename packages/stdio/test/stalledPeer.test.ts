import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { createServer, type Server } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { awaitEveryBroadcast, deliveryFailures, expectAllInOrder, expectRunBounded, tickSeq } from '../../../test-support/stalledPeer.js';
import { createStdioServerTransport } from '../src/index.js';
import { closeAll, onCleanup, waitFor } from './helpers/children.js';

afterEach(closeAll);

const handshake = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'peer', version: '1' } } },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
]
  .map((m) => JSON.stringify(m) + '\n')
  .join('');

/** Connects one stdio peer whose messages go to `stdout`; its handshake is written at once. */
function connectPeer(server: Server, stdout: NodeJS.WritableStream, maxQueuedBytes?: number): void {
  const stdin = new PassThrough();
  server.connect(createStdioServerTransport({ stdin, stdout: stdout as never, maxQueuedBytes }));
  stdin.write(handshake);
  onCleanup(async () => void stdin.end());
}

describe('a stalled stdio peer never stalls the server (PROTOCOL.md §slow-consumers)', () => {
  it('1,000 awaited broadcasts of 10 KiB resolve, the healthy peer gets all in order, the stalled pipe hits its bound and is reported', async () => {
    const failures = deliveryFailures();
    const server = createServer({ name: 'stdio-fanout', version: '1' }, { onDiagnostic: failures.hook });
    onCleanup(() => server.close());

    // The stalled peer is a real process that never reads the pipe the server writes to.
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: ['pipe', 'ignore', 'ignore'] });
    onCleanup(async () => void sleeper.kill('SIGKILL'));
    sleeper.stdin.on('error', () => {});
    // The kernel pipe takes 64 KiB; a 2 MiB bound (64 MiB by default) makes the policy fire within 10 MB.
    connectPeer(server, sleeper.stdin, 2 * 1024 * 1024);
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    const stalledId = server.sessions()[0]!.id;

    const healthy = new PassThrough();
    const seqs: number[] = [];
    let pending = '';
    healthy.setEncoding('utf8');
    healthy.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const seq = tickSeq(JSON.parse(line));
        if (seq !== undefined) seqs.push(seq);
      }
    });
    connectPeer(server, healthy);
    await waitFor(() => expect(server.sessions()).toHaveLength(2));

    const run = await awaitEveryBroadcast(server);
    expectRunBounded(run);
    await expectAllInOrder(seqs);

    // The policy: past its bound the one stalled peer's notifications are refused, each reported with its id;
    // it stays connected (stdio has no way to resume, and its own requests still get backpressure).
    expect(failures.recipients()).toEqual(new Set([stalledId]));
    expect(run.reached.some((n) => n === 1)).toBe(true);
    expect(server.sessions().map((s) => s.id)).toContain(stalledId);
  }, 120_000);
});

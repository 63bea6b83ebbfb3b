import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '@tidings/protocol';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../src/index.js';
import { closeAll, connectFixture, ERAS, spawnFixture, waitFor } from './helpers/children.js';
import { attachRawPeer, type RawPeer } from './helpers/rawPeer.js';

afterEach(closeAll);

const SERVER = 'tidingsServer.ts';

/** Opens a legacy session by hand, so later pings prove the connection still works. */
async function initialized(): Promise<RawPeer> {
  const peer = attachRawPeer(spawnFixture(SERVER).transport);
  await peer.send({
    jsonrpc: '2.0',
    id: 'init',
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  await waitFor(() => expect(peer.responseTo('init')?.result).toBeDefined(), 20_000);
  await peer.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return peer;
}

async function expectStillAnswering(peer: RawPeer, id: number): Promise<void> {
  await peer.send({ jsonrpc: '2.0', id, method: 'ping' });
  await waitFor(() => expect(peer.responseTo(id)).toEqual({ jsonrpc: '2.0', id, result: {} }));
}

describe('bad input to a Tidings stdio server child', () => {
  it('discards a 5 MiB line, answers −32600 with id null naming the limit, and keeps serving', async () => {
    const peer = await initialized();
    const padding = 'x'.repeat(5 * 1024 * 1024);
    await peer.sendLine(`{"jsonrpc":"2.0","id":99,"method":"ping","params":{"padding":"${padding}"}}`);
    await waitFor(() => expect(peer.received.some((m) => m.id === null)).toBe(true));
    const answer = peer.received.find((m) => m.id === null)!;
    expect(answer.error.code).toBe(-32600);
    expect(answer.error.message).toContain(String(DEFAULT_MAX_MESSAGE_BYTES));
    await expectStillAnswering(peer, 1);
    expect(peer.responseTo(99)).toBeUndefined();
  });

  it('answers a non-JSON line with −32700 and keeps serving', async () => {
    const peer = await initialized();
    await peer.sendLine('this is not json');
    await waitFor(() => expect(peer.received.some((m) => m.error?.code === -32700)).toBe(true));
    expect(peer.received.find((m) => m.error?.code === -32700)?.id).toBeNull();
    await expectStillAnswering(peer, 2);
  });

  it('answers a JSON array with −32600 and keeps serving', async () => {
    const peer = await initialized();
    await peer.sendLine('[{"jsonrpc":"2.0","id":7,"method":"ping"}]');
    await waitFor(() => expect(peer.received.some((m) => m.error?.code === -32600)).toBe(true));
    expect(peer.received.find((m) => m.error?.code === -32600)?.error.message).toMatch(/batch/i);
    await expectStillAnswering(peer, 3);
  });

  it('answers a wrong jsonrpc version with −32600 for that id and keeps serving', async () => {
    const peer = await initialized();
    await peer.sendLine('{"jsonrpc":"1.0","id":8,"method":"ping"}');
    await waitFor(() => expect(peer.responseTo(8)?.error?.code).toBe(-32600));
    expect(peer.responseTo(8)?.error.message).toContain('jsonrpc');
    await expectStillAnswering(peer, 4);
  });

  it('tolerates CRLF line endings and blank lines', async () => {
    const peer = await initialized();
    await peer.sendLine('');
    await peer.sendLine('\r');
    await peer.sendLine('{"jsonrpc":"2.0","id":5,"method":"ping"}\r');
    await waitFor(() => expect(peer.responseTo(5)).toEqual({ jsonrpc: '2.0', id: 5, result: {} }));
    expect(peer.received.filter((m) => 'error' in m)).toEqual([]);
  });
});

describe.each(ERAS)('a server that goes away mid-request (%s)', (era) => {
  it('rejects the pending request with ConnectionClosed within 1 s of the exit, and keeps the exit code', async () => {
    const { client, transport, stderr } = await connectFixture(SERVER, { era });
    let outcome: unknown;
    client.callTool('exit_now', { code: 3 }).then(
      (value) => (outcome = value),
      (error: unknown) => (outcome = error),
    );
    await waitFor(() => expect(transport.exit).toBeDefined(), 20_000);
    await waitFor(() => expect(outcome).toBeDefined(), 1000);
    expect(outcome).toBeInstanceOf(ProtocolError);
    expect((outcome as ProtocolError).code).toBe('ConnectionClosed');
    expect((outcome as ProtocolError).message).toContain('server exited with code 3');
    expect(transport.exit).toEqual({ code: 3, signal: null });
    // The server's last words on stderr arrived, and were a log, not an error.
    expect(stderr).toContain('exiting with code 3');
  });

  it('rejects the pending request with ConnectionClosed when the server is killed, naming the signal', async () => {
    const { client, transport, stderr } = await connectFixture(SERVER, { era });
    let outcome: unknown;
    client.callTool('hang').then(
      (value) => (outcome = value),
      (error: unknown) => (outcome = error),
    );
    await waitFor(() => expect(stderr).toContain('hanging'));
    process.kill(transport.pid!, 'SIGKILL');
    await waitFor(() => expect(transport.exit).toBeDefined(), 20_000);
    await waitFor(() => expect(outcome).toBeDefined(), 1000);
    expect((outcome as ProtocolError).code).toBe('ConnectionClosed');
    expect((outcome as ProtocolError).message).toContain('server exited with signal SIGKILL');
    expect(transport.exit).toEqual({ code: null, signal: 'SIGKILL' });
  });
});

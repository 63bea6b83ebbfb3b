import { afterEach, describe, expect, it } from 'vitest';
import { createClient, ProtocolError, TransportError } from '@tidings/protocol';
import { createStdioClientTransport } from '../src/index.js';
import { closeAll, connectFixture, fixtureCommand, isAlive, spawnFixture, waitFor } from './helpers/children.js';
import { attachRawPeer } from './helpers/rawPeer.js';

afterEach(closeAll);

/** Handles a stdio client may hold: the process, its pipes, and timers (the shutdown escalation). */
function childHandles(): Record<string, number> {
  const counts: Record<string, number> = { ProcessWrap: 0, PipeWrap: 0, Timeout: 0 };
  for (const name of process.getActiveResourcesInfo()) if (name in counts) counts[name]!++;
  return counts;
}

describe('closing a stdio client', () => {
  it('leaves no child process and no open handle', async () => {
    const before = childHandles();
    const { client, transport } = await connectFixture('tidingsServer.ts');
    const pid = transport.pid!;
    expect(isAlive(pid)).toBe(true);
    expect(childHandles().ProcessWrap).toBeGreaterThan(before.ProcessWrap!);
    await client.close();
    // close resolves once the child exited: it was reaped, so the pid is gone.
    expect(() => process.kill(pid, 0)).toThrow();
    expect(transport.exit).toEqual({ code: 0, signal: null });
    // Node closes the process and pipe handles at the end of the current loop turn.
    await waitFor(() => {
      const after = childHandles();
      expect(after.ProcessWrap).toBe(before.ProcessWrap);
      expect(after.PipeWrap).toBe(before.PipeWrap);
      // The runner has timers of its own; ours (the escalation) must all be gone.
      expect(after.Timeout).toBeLessThanOrEqual(before.Timeout!);
    }, 1000);
    await expect(transport.send('{"jsonrpc":"2.0","method":"x"}')).rejects.toBeInstanceOf(TransportError);
  });

  it('sends SIGTERM to a server that ignores the end of its stdin', async () => {
    const { transport, stderr } = spawnFixture('stubbornServer.ts', { killAfterMs: 200 });
    const peer = attachRawPeer(transport);
    await waitFor(() => expect(stderr).toContain('stubborn server ready'), 20_000);
    await transport.close();
    expect(stderr).toContain('stdin ended, staying alive');
    expect(transport.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(() => process.kill(transport.pid!, 0)).toThrow();
    // A close the owner asked for is not an error.
    expect(peer.closedWith).toEqual({ reason: undefined });
  });

  it('sends SIGKILL to a server that ignores SIGTERM too', async () => {
    const { transport, stderr } = spawnFixture('stubbornServer.ts', { killAfterMs: 200 }, ['--ignore-sigterm']);
    attachRawPeer(transport);
    await waitFor(() => expect(stderr).toContain('stubborn server ready'), 20_000);
    await transport.close();
    expect(stderr).toContain('ignoring SIGTERM');
    expect(transport.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(() => process.kill(transport.pid!, 0)).toThrow();
  });

  it('is safe to call twice and before start', async () => {
    const transport = createStdioClientTransport({ ...fixtureCommand('tidingsServer.ts'), stderr: 'ignore' });
    await transport.close();
    await transport.close();
    const peer = attachRawPeer(transport);
    expect(peer.closedWith).toEqual({ reason: undefined });
    expect(transport.pid).toBeUndefined();
  });
});

describe('starting a stdio client', () => {
  it('fails connect with ConnectionClosed naming the command when it cannot be spawned', async () => {
    const transport = createStdioClientTransport({ command: '/nonexistent/mcp-server', stderr: 'ignore' });
    const client = createClient({ name: 'c', version: '1' });
    const failure = await client.connect(transport).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProtocolError);
    expect((failure as ProtocolError).code).toBe('ConnectionClosed');
    expect((failure as ProtocolError).message).toContain('Cannot start /nonexistent/mcp-server');
    expect(transport.pid).toBeUndefined();
  });

  it("exposes the server's stderr as a stream with stderr: 'pipe', as a log and never an error", async () => {
    const errors: TransportError[] = [];
    const { client, transport } = await connectFixture('tidingsServer.ts', { onError: (e) => errors.push(e) }, { stderr: 'pipe' });
    let text = '';
    transport.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    await waitFor(() => expect(text).toContain('tidings fixture server ready'));
    await client.close();
    await waitFor(() => expect(text).toContain('stdin closed, exiting'));
    expect(errors).toEqual([]);
  });
});

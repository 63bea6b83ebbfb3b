import { ProtocolError } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { curlPost } from '../../../test-support/curlPost.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectSse, startSse } from './helpers/harness.js';
import { openRawStream } from './helpers/rawStream.js';

afterEach(closeAll);

const MiB = 1024 * 1024;

describe('a POST over maxBodyBytes gets a 413 its sender can read', () => {
  // 15 MiB is more than loopback socket buffers take in one go: a server that stops reading cuts curl off.
  for (const [bytes, chunked] of [[5 * MiB, false], [5 * MiB, true], [15 * MiB, false], [15 * MiB, true]] as const) {
    it(`curl posting ${bytes / MiB} MiB (${chunked ? 'chunked' : 'Content-Length'}) to a live session sees 413 and a JSON-RPC error naming the limit`, async () => {
      const { url } = await startSse(createDemoServer());
      const stream = await openRawStream(url);
      const reply = await curlPost(stream.endpoint.href, bytes, { chunked });
      expect(reply.stderr).toBe('');
      expect(reply.exitCode).toBe(0);
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32600, message: expect.stringContaining('4194304 bytes') } });
      // The refusal is about one message: the session's stream goes on.
      expect(stream.ended).toBe(false);
    });
  }

  it('the Tidings client rejects the call with an error naming the limit, and the next call works', async () => {
    const server = createDemoServer();
    server.tool({ name: 'echo', input: z.object({ text: z.string() }) }, async ({ text }) => `length ${text.length}`);
    const { url } = await startSse(server);
    const { client } = await connectSse(url, { era: 'legacy' });
    const refused = await client.callTool('echo', { text: 'a'.repeat(5 * MiB) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProtocolError);
    expect((refused as ProtocolError).message).toMatch(/413.*4194304 bytes/);
    expect((await client.callTool('echo', { text: 'ok' })).content).toEqual([{ type: 'text', text: 'length 2' }]);
  });
});

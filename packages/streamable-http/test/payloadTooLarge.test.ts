import { createClient, ProtocolError } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { curlPost } from '../../../test-support/curlPost.js';
import { createStreamableHttpClientTransport } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, onCleanup, startHttp, ERAS } from './helpers/harness.js';

afterEach(closeAll);

const FIVE_MIB = 5 * 1024 * 1024;
/** More than loopback socket buffers take in one go, so a server that stops reading cuts the sender off. */
const FIFTEEN_MIB = 15 * 1024 * 1024;

describe('a body over maxBodyBytes gets a 413 its sender can read', () => {
  for (const [bytes, chunked] of [[FIVE_MIB, false], [FIVE_MIB, true], [FIFTEEN_MIB, false], [FIFTEEN_MIB, true]] as const) {
    it(`curl posting ${bytes >> 20} MiB (${chunked ? 'chunked' : 'Content-Length'}) sees 413 and a JSON-RPC error naming the limit`, async () => {
      const http = await startHttp(createDemoServer());
      const reply = await curlPost(http.url, bytes, { chunked });
      expect(reply.stderr).toBe('');
      expect(reply.exitCode).toBe(0);
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringContaining('4194304 bytes') } });
    });
  }

  for (const era of ERAS) {
    it(`the Tidings client (${era}) rejects the call with an error naming the limit, and the next call works`, async () => {
      const server = createDemoServer();
      server.tool({ name: 'echo', input: z.object({ text: z.string() }) }, async ({ text }) => `length ${text.length}`);
      const http = await startHttp(server);
      const client = createClient({ name: 'big-sender', version: '1' }, { era });
      onCleanup(() => client.close());
      await client.connect(createStreamableHttpClientTransport(http.url));
      const refused = await client.callTool('echo', { text: 'a'.repeat(FIVE_MIB) }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ProtocolError);
      expect((refused as ProtocolError).message).toMatch(/413.*4194304 bytes/);
      expect((await client.callTool('echo', { text: 'ok' })).content).toEqual([{ type: 'text', text: 'length 2' }]);
    });
  }
});

import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer } from '../../src/server/createServer.js';
import { closeAll, connectClient, ERAS } from '../helpers/pair.js';

afterEach(closeAll);

describe.each(ERAS)('list methods read one page at a time (%s)', (era) => {
  it('listTools sends options.cursor as the params cursor and hands back nextCursor; the first page has no cursor', async () => {
    const server = createServer({ name: 's', version: '1' });
    const asked: Array<string | undefined> = [];
    // Two pages: the server's own handler stands in for a paginating server.
    server.setRequestHandler('tools/list', z.object({ cursor: z.string().optional() }).passthrough(), ({ cursor }) => {
      asked.push(cursor);
      const tool = (name: string) => ({ name, inputSchema: { type: 'object' } });
      return cursor === undefined ? { tools: [tool('a')], nextCursor: 'page-2' } : { tools: [tool('b')] };
    });
    const client = await connectClient(server, { era });
    const first = await client.listTools();
    expect(first).toMatchObject({ tools: [{ name: 'a' }], nextCursor: 'page-2' });
    const second = await client.listTools({ cursor: first.nextCursor, timeout: 5_000 });
    expect(second.tools.map((t) => t.name)).toEqual(['b']);
    expect(second.nextCursor).toBeUndefined();
    expect(asked).toEqual([undefined, 'page-2']);
  });
});

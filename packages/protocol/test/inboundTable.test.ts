import { describe, expect, it } from 'vitest';
import { InboundRequest, type InboundRequestWire } from '../src/engine/inboundRequest.js';
import { InboundTable } from '../src/engine/inboundTable.js';

const wire: InboundRequestWire = { notify: async () => {}, request: async () => ({}) };
const request = (id: string | number) => new InboundRequest(id, 'tools/call', undefined, wire);

describe('InboundTable', () => {
  it('finds, counts and removes requests by id through one, several and none in flight; id 0 included', () => {
    const table = new InboundTable();
    const [zero, a, b] = [request(0), request('a'), request(2)];
    expect(table.get(0)).toBeUndefined();
    table.add(zero);
    expect([table.size, table.get(0), table.get('a')]).toEqual([1, zero, undefined]);
    table.add(a);
    table.add(b);
    expect([table.size, table.get(0), table.get('a'), table.get(2)]).toEqual([3, zero, a, b]);
    expect(table.delete(0)).toBe(true);
    expect(table.delete(0)).toBe(false);
    expect(table.delete('a')).toBe(true);
    expect([table.size, table.get(2), table.get('a')]).toEqual([1, b, undefined]);
    table.add(a);
    expect(table.drain()).toEqual([b, a]);
    expect([table.size, table.get(2), table.delete(2)]).toEqual([0, undefined, false]);
  });
});

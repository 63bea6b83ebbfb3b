import { describe, expect, it } from 'vitest';
import { inspectParamHeaders, ToolParamBook, type RejectedTool } from '../../src/http.js';

const annotated = (header: unknown, type = 'string') => ({ type: 'object', properties: { p: { type, 'x-mcp-header': header } } });
const listResult = (id: number, tools: unknown[]) => ({ jsonrpc: '2.0', id, result: { tools } });
const call = (name: string, args: unknown) => ({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name, arguments: args } });

describe('inspectParamHeaders', () => {
  it('names why an annotation makes a tool definition invalid', () => {
    expect(inspectParamHeaders(annotated('Region'))).toEqual({ params: [{ name: 'Region', path: ['p'] }] });
    expect(inspectParamHeaders(annotated(''))).toEqual({ invalid: 'x-mcp-header of p is not an HTTP header-name token' });
    expect(inspectParamHeaders(annotated(7))).toEqual({ invalid: 'x-mcp-header of p is not an HTTP header-name token' });
    expect(inspectParamHeaders(annotated('Ratio', 'number'))).toMatchObject({ invalid: expect.stringContaining('not a string, integer or boolean') });
    // Only a chain of `properties` keys reaches a parameter: an annotation under `items` is never read as one.
    expect(inspectParamHeaders({ type: 'object', properties: { list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'X' } } } })).toEqual({ params: [] });
  });
});

describe('ToolParamBook', () => {
  it('learns only the answers to the tools/list requests it noted, and names the headers of a later tools/call', () => {
    const book = new ToolParamBook();
    const rejected: RejectedTool[] = [];
    const unsolicited = listResult(5, [{ name: 'q', inputSchema: annotated('Region') }]);
    expect(book.incoming(unsolicited, (t) => rejected.push(t))).toBe(unsolicited);
    expect(book.headersFor(call('q', { p: 'x' }))).toBeUndefined();

    book.noteRequest({ jsonrpc: '2.0', id: 6, method: 'tools/list' });
    const answer = listResult(6, [{ name: 'q', inputSchema: annotated('Region') }, { name: 'bad', inputSchema: annotated('Ratio', 'number') }]);
    const delivered = book.incoming(answer, (t) => rejected.push(t));
    expect((delivered.result as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toEqual(['q']);
    expect(rejected).toEqual([{ name: 'bad', reason: expect.stringContaining('x-mcp-header of p') }]);
    expect(book.headersFor(call('q', { p: 'eu' }))).toEqual({ 'Mcp-Param-Region': 'eu' });
    expect(book.headersFor(call('q', {}))).toEqual({});
    expect(book.headersFor(call('unknown', { p: 'eu' }))).toBeUndefined();
    // The same id answered twice is learned once: the second answer passes untouched.
    expect(book.incoming(answer, (t) => rejected.push(t))).toBe(answer);
    expect(rejected).toHaveLength(1);
  });

  it('forgets a tool that a later listing redefines with invalid annotations', () => {
    const book = new ToolParamBook();
    book.noteRequest({ id: 1, method: 'tools/list' });
    book.incoming(listResult(1, [{ name: 'q', inputSchema: annotated('Region') }]), () => {});
    book.noteRequest({ id: 2, method: 'tools/list' });
    book.incoming(listResult(2, [{ name: 'q', inputSchema: annotated('Bad Name') }]), () => {});
    expect(book.headersFor(call('q', { p: 'eu' }))).toBeUndefined();
  });

  it('stays bounded: pending listings and learned tools have caps, and a settled request is forgotten', () => {
    const book = new ToolParamBook();
    for (let id = 0; id < 5_000; id++) book.noteRequest({ id, method: 'tools/list' });
    // Past the cap a listing is not noted, so its answer passes through unread.
    const late = listResult(4_999, [{ name: 'late', inputSchema: annotated('Region') }]);
    expect(book.incoming(late, () => {})).toBe(late);
    book.settled(0);
    book.noteRequest({ id: 'fresh', method: 'tools/list' });
    const many = Array.from({ length: 20_000 }, (_, i) => ({ name: `t${i}`, inputSchema: annotated('Region') }));
    book.incoming({ id: 'fresh', result: { tools: many } }, () => {});
    expect(book.headersFor(call('t9999', { p: 'a' }))).toEqual({ 'Mcp-Param-Region': 'a' });
    expect(book.headersFor(call('t10000', { p: 'a' }))).toBeUndefined();
  });

  it('sends a failed tools/call back to tools/list only for HeaderMismatch', () => {
    const book = new ToolParamBook();
    expect(book.refreshesOn(call('q', {}), -32020)).toBe(true);
    expect(book.refreshesOn(call('q', {}), -32602)).toBe(false);
    expect(book.refreshesOn({ method: 'tools/list' }, -32020)).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../src/errors.js';
import { parseParams } from '../src/validate.js';
import {
  JSONRPCMessageSchema,
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  parseMessage,
} from '../src/schemas/jsonrpc.js';
import {
  NOTIFICATION_DIRECTION,
  NOTIFICATION_ERAS,
  NOTIFICATION_REVISIONS,
  ProgressNotificationSchema,
  ToolListChangedNotificationSchema,
  isNotificationMethod,
  notificationSchemas,
  type NotificationMethod,
} from '../src/schemas/notifications.js';
import { LOGGING_LEVELS, LoggingLevelSchema } from '../src/schemas/primitives.js';
import { REQUEST_ERAS, requestSchemas } from '../src/schemas/requests.js';
import { resultSchemas } from '../src/schemas/results.js';

/** Runs `fn` and returns the ProtocolError it throws; fails the test if it throws anything else or nothing. */
function protocolErrorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}

function expectInvalidParams(schema: Parameters<typeof parseParams>[0], params: unknown): void {
  const error = protocolErrorOf(() => parseParams(schema, params));
  expect(error.code).toBe('InvalidParams');
  expect(error.rpcCode).toBe(-32602);
  const issues = (error.data as { issues?: unknown }).issues;
  expect(Array.isArray(issues)).toBe(true);
  expect((issues as unknown[]).length).toBeGreaterThan(0);
}

const SUB_ID = 'io.modelcontextprotocol/subscriptionId';
const task = {
  taskId: 't-1',
  status: 'working',
  createdAt: '2025-11-25T10:00:00Z',
  lastUpdatedAt: '2025-11-25T10:00:05Z',
  ttl: 60_000,
};
const noParams = { valid: [undefined, {}, { _meta: { 'com.example/trace': 'abc' } }], broken: [{ _meta: 'x' }, [1], 'x'] };

/** Valid and broken params for every notification in the registry. */
const notificationCases = {
  'notifications/initialized': noParams,
  'notifications/cancelled': {
    valid: [{ requestId: '123', reason: 'User requested cancellation' }, { requestId: 0 }, {}],
    broken: [{ requestId: 1.5 }, { requestId: null }, { requestId: 'a', reason: 42 }],
  },
  'notifications/progress': {
    valid: [
      { progressToken: 'oivaizmir', progress: 50, total: 100, message: 'Reticulating splines...' },
      { progressToken: 0, progress: 0.5 },
    ],
    broken: [
      { progress: 1 },
      { progressToken: 't', progress: '50' },
      { progressToken: 1.5, progress: 1 },
      { progressToken: 't', progress: 1, total: 'all' },
      { progressToken: 't', progress: 1, message: 7 },
    ],
  },
  'notifications/message': {
    valid: [
      { level: 'error', logger: 'database', data: { error: 'Connection failed', details: { host: 'localhost' } } },
      { level: 'emergency', data: null },
      { level: 'debug', data: 'text', _meta: { [SUB_ID]: 'listen-1' } },
    ],
    broken: [{ level: 'info' }, { level: 'verbose', data: 1 }, { level: 'info', data: 1, logger: 3 }, { data: 1 }],
  },
  'notifications/resources/updated': {
    valid: [{ uri: 'file:///project/src/main.rs' }, { uri: 'test://watched-resource', _meta: { [SUB_ID]: 7 } }],
    broken: [{}, { uri: 5 }, { uri: 'file:///a', _meta: { [SUB_ID]: true } }],
  },
  'notifications/resources/list_changed': noParams,
  'notifications/tools/list_changed': noParams,
  'notifications/prompts/list_changed': noParams,
  'notifications/roots/list_changed': noParams,
  'notifications/elicitation/complete': {
    valid: [{ elicitationId: '550e8400-e29b-41d4-a716-446655440000' }],
    broken: [{}, { elicitationId: 1 }],
  },
  'notifications/tasks/status': {
    valid: [task, { ...task, status: 'completed', ttl: null, statusMessage: 'done', pollInterval: 500 }],
    broken: [
      { ...task, status: 'done' },
      { taskId: 't-1', status: 'working' },
      { ...task, ttl: undefined },
      { ...task, createdAt: 1 },
    ],
  },
  'notifications/subscriptions/acknowledged': {
    valid: [
      {
        _meta: { [SUB_ID]: 'listen-1' },
        notifications: { toolsListChanged: true, resourceSubscriptions: ['file:///project/config.json'] },
      },
      { notifications: {} },
    ],
    broken: [
      {},
      { notifications: { toolsListChanged: 'yes' } },
      { notifications: { resourceSubscriptions: 'file:///a' } },
    ],
  },
} satisfies Record<NotificationMethod, { valid: unknown[]; broken: unknown[] }>;

const notificationTable = Object.entries(notificationSchemas).map(([method, schema]) => ({
  method,
  schema,
  ...notificationCases[method as NotificationMethod],
}));

describe('notification registry', () => {
  it('has a test case, eras and a direction for exactly its methods', () => {
    const methods = Object.keys(notificationSchemas).sort();
    expect(Object.keys(notificationCases).sort()).toEqual(methods);
    expect(Object.keys(NOTIFICATION_ERAS).sort()).toEqual(methods);
    expect(Object.keys(NOTIFICATION_DIRECTION).sort()).toEqual(methods);
  });

  it('records the eras and directions of the protocol', () => {
    expect(NOTIFICATION_ERAS['notifications/initialized']).toEqual(['legacy']);
    expect(NOTIFICATION_ERAS['notifications/roots/list_changed']).toEqual(['legacy']);
    expect(NOTIFICATION_ERAS['notifications/subscriptions/acknowledged']).toEqual(['modern']);
    expect(NOTIFICATION_ERAS['notifications/progress']).toEqual(['legacy', 'modern']);
    expect(NOTIFICATION_REVISIONS['notifications/tasks/status']).toEqual(['2025-11-25']);
    expect(NOTIFICATION_REVISIONS['notifications/elicitation/complete']).toEqual(['2025-11-25']);
    expect(NOTIFICATION_DIRECTION['notifications/initialized']).toBe('client-to-server');
    expect(NOTIFICATION_DIRECTION['notifications/message']).toBe('server-to-client');
    expect(NOTIFICATION_DIRECTION['notifications/cancelled']).toBe('both');
  });

  it('tells MCP methods from custom ones, ignoring inherited keys', () => {
    expect(isNotificationMethod('notifications/progress')).toBe(true);
    expect(isNotificationMethod('custom/thing')).toBe(false);
    expect(isNotificationMethod('toString')).toBe(false);
  });
});

describe.each(notificationTable)('$method params', ({ schema, valid, broken }) => {
  it.each(valid.map((params) => ({ params })))('accepts $params', ({ params }) => {
    const parsed = parseParams(schema, params);
    expect(parsed).toEqual(params ?? {});
  });

  it.each(broken.map((params) => ({ params })))('rejects $params with InvalidParams', ({ params }) => {
    expectInvalidParams(schema, params);
  });

  it('keeps unknown members', () => {
    const params = { ...(valid.find((v) => v !== undefined) as object), 'com.example/extra': [1, 2] };
    expect(parseParams(schema, params)).toHaveProperty(['com.example/extra'], [1, 2]);
  });
});

describe('optional notification params', () => {
  it('reads absent params as a fresh {} in the registry entry and in the message schema', () => {
    const schema = notificationSchemas['notifications/tools/list_changed'];
    const a = schema.parse(undefined);
    const b = schema.parse(undefined);
    expect(a).toEqual({});
    expect(a).not.toBe(b);
    expect(ToolListChangedNotificationSchema.parse({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: {},
    });
  });

  it('still requires params where the method defines required members', () => {
    expectInvalidParams(notificationSchemas['notifications/progress'], undefined);
  });

  it('checks the method literal of the full message schema', () => {
    const params = { progressToken: 1, progress: 1 };
    expect(ProgressNotificationSchema.safeParse({ jsonrpc: '2.0', method: 'notifications/progress', params }).success).toBe(true);
    expect(ProgressNotificationSchema.safeParse({ jsonrpc: '2.0', method: 'notifications/message', params }).success).toBe(false);
  });
});

describe('logging levels', () => {
  it('are in RFC 5424 order and nothing else parses', () => {
    expect(LOGGING_LEVELS).toEqual(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);
    expect(LoggingLevelSchema.safeParse('warn').success).toBe(false);
  });
});

const modernMeta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'ExampleClient', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

describe('request and result registries', () => {
  it('have the same methods, each with its eras', () => {
    expect(Object.keys(resultSchemas).sort()).toEqual(Object.keys(requestSchemas).sort());
    expect(Object.keys(REQUEST_ERAS).sort()).toEqual(Object.keys(requestSchemas).sort());
    expect(REQUEST_ERAS['logging/setLevel']).toEqual(['legacy']);
    expect(REQUEST_ERAS['server/discover']).toEqual(['modern']);
  });
});

describe('initialize', () => {
  const params = {
    protocolVersion: '2025-11-25',
    capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: { form: {}, url: {} } },
    clientInfo: { name: 'ExampleClient', title: 'Example', version: '1.0.0' },
  };

  it('accepts the legacy handshake params', () => {
    expect(parseParams(requestSchemas.initialize, params)).toEqual(params);
  });

  it.each([
    { case: 'missing clientInfo', params: { protocolVersion: '2025-11-25', capabilities: {} } },
    { case: 'clientInfo without version', params: { ...params, clientInfo: { name: 'x' } } },
    { case: 'roots.listChanged not boolean', params: { ...params, capabilities: { roots: { listChanged: 'yes' } } } },
  ])('rejects $case', ({ params: broken }) => {
    expectInvalidParams(requestSchemas.initialize, broken);
  });

  it('accepts a legacy result without resultType and rejects one without serverInfo', () => {
    const result = {
      protocolVersion: '2025-11-25',
      capabilities: { logging: {}, tools: { listChanged: true }, resources: { subscribe: true } },
      serverInfo: { name: 'ExampleServer', version: '2.0.0' },
      instructions: 'Be nice.',
    };
    expect(resultSchemas.initialize.parse(result)).toEqual(result);
    expect(resultSchemas.initialize.safeParse({ ...result, serverInfo: undefined }).success).toBe(false);
    expect(resultSchemas.initialize.safeParse({ ...result, capabilities: { tools: { listChanged: 1 } } }).success).toBe(false);
  });
});

describe('subscriptions/listen', () => {
  const params = {
    _meta: modernMeta,
    notifications: { toolsListChanged: true, resourceSubscriptions: ['file:///project/config.json'] },
  };

  it('accepts the modern envelope and filter', () => {
    expect(parseParams(requestSchemas['subscriptions/listen'], params)).toEqual(params);
  });

  it.each([
    { case: 'no filter', params: { _meta: modernMeta } },
    { case: 'resourceSubscriptions not an array', params: { notifications: { resourceSubscriptions: 'file:///a' } } },
    { case: 'unknown logLevel', params: { ...params, _meta: { ...modernMeta, 'io.modelcontextprotocol/logLevel': 'verbose' } } },
    { case: 'capabilities not an object', params: { ...params, _meta: { ...modernMeta, 'io.modelcontextprotocol/clientCapabilities': 3 } } },
    { case: 'fractional progressToken', params: { ...params, _meta: { progressToken: 0.5 } } },
  ])('rejects $case', ({ params: broken }) => {
    expectInvalidParams(requestSchemas['subscriptions/listen'], broken);
  });

  it('accepts the closing result with its subscription id, rejects a bad one', () => {
    const result = { resultType: 'complete', _meta: { [SUB_ID]: 'listen-1' } };
    expect(resultSchemas['subscriptions/listen'].parse(result)).toEqual(result);
    expect(resultSchemas['subscriptions/listen'].safeParse({ _meta: { [SUB_ID]: { x: 1 } } }).success).toBe(false);
  });
});

describe('tools/call', () => {
  it('accepts name and arguments, rejects array arguments and a missing name', () => {
    const params = { _meta: { ...modernMeta, progressToken: 0 }, name: 'get_weather', arguments: { location: 'New York' } };
    expect(parseParams(requestSchemas['tools/call'], params)).toEqual(params);
    expectInvalidParams(requestSchemas['tools/call'], { name: 'x', arguments: ['a'] });
    expectInvalidParams(requestSchemas['tools/call'], { arguments: {} });
  });

  it('reads a missing content as [] and keeps array structuredContent', () => {
    const result = resultSchemas['tools/call'].parse({ structuredContent: [{ id: '1' }], resultType: 'complete' });
    expect(result.content).toEqual([]);
    expect(result.structuredContent).toEqual([{ id: '1' }]);
  });

  it('checks each content block by its type', () => {
    const ok = {
      content: [
        { type: 'text', text: 'hi' },
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'resource_link', uri: 'file:///a', name: 'a' },
        { type: 'resource', resource: { uri: 'file:///b', blob: 'AAAA' } },
      ],
      isError: false,
    };
    expect(resultSchemas['tools/call'].parse(ok)).toEqual(ok);
    expect(resultSchemas['tools/call'].safeParse({ content: [{ type: 'video', url: 'x' }] }).success).toBe(false);
    expect(resultSchemas['tools/call'].safeParse({ content: [{ type: 'text' }] }).success).toBe(false);
    expect(resultSchemas['tools/call'].safeParse({ content: [], isError: 'yes' }).success).toBe(false);
  });
});

describe('server/discover', () => {
  it('accepts absent params as {} and the modern envelope', () => {
    expect(parseParams(requestSchemas['server/discover'], undefined)).toEqual({});
    expect(parseParams(requestSchemas['server/discover'], { _meta: modernMeta })).toEqual({ _meta: modernMeta });
  });

  it('accepts the spec example result and rejects broken ones', () => {
    const result = {
      resultType: 'complete',
      supportedVersions: ['2026-07-28'],
      capabilities: { tools: {}, resources: {} },
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'ExampleServer', version: '1.0.0' } },
      instructions: 'Prefer get_weather.',
      ttlMs: 3_600_000,
      cacheScope: 'public',
    };
    const schema = resultSchemas['server/discover'];
    expect(schema.parse(result)).toEqual(result);
    expect(schema.safeParse({ ...result, supportedVersions: undefined }).success).toBe(false);
    expect(schema.safeParse({ ...result, cacheScope: 'shared' }).success).toBe(false);
    expect(schema.safeParse({ ...result, _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'x' } } }).success).toBe(false);
  });
});

describe('elicitation/create', () => {
  it('tells form mode from URL mode', () => {
    const schema = requestSchemas['elicitation/create'];
    const form = { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } };
    expect(parseParams(schema, form)).toEqual(form);
    const url = { mode: 'url', message: 'Log in', elicitationId: 'e1', url: 'https://example.com/login' };
    expect(parseParams(schema, url)).toEqual(url);
    expectInvalidParams(schema, { mode: 'url', message: 'Log in', elicitationId: 'e1' });
    expectInvalidParams(schema, { message: 'Name?' });
  });
});

describe('parseMessage', () => {
  it.each([
    { kind: 'request', message: { jsonrpc: '2.0', id: 'a', method: 'tools/list', params: {} }, guard: isJSONRPCRequest },
    { kind: 'request without params', message: { jsonrpc: '2.0', id: 1, method: 'ping' }, guard: isJSONRPCRequest },
    { kind: 'notification', message: { jsonrpc: '2.0', method: 'notifications/initialized' }, guard: isJSONRPCNotification },
    { kind: 'result response', message: { jsonrpc: '2.0', id: 7, result: {} }, guard: isJSONRPCResultResponse },
    {
      kind: 'error response',
      message: { jsonrpc: '2.0', id: 'x', error: { code: -32601, message: 'Method not found', data: { m: 1 } } },
      guard: isJSONRPCErrorResponse,
    },
    { kind: 'error response with null id', message: { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, guard: isJSONRPCErrorResponse },
  ])('reads a $kind from text and from a parsed value', ({ message, guard }) => {
    const fromText = parseMessage(JSON.stringify(message));
    expect(fromText).toEqual(message);
    expect(guard(fromText)).toBe(true);
    expect(parseMessage(message)).toBe(message);
    expect(JSONRPCMessageSchema.safeParse(message).success).toBe(true);
  });

  it('keeps id 0 as 0, on requests and on responses', () => {
    const request = parseMessage('{"jsonrpc":"2.0","id":0,"method":"ping"}');
    expect(request.id).toBe(0);
    expect(isJSONRPCRequest(request)).toBe(true);
    expect(parseMessage('{"jsonrpc":"2.0","id":0,"result":{}}').id).toBe(0);
    expect(parseMessage('{"jsonrpc":"2.0","id":0,"error":{"code":1,"message":"m"}}').id).toBe(0);
  });

  it('keeps unknown members and reads an absent error id as null', () => {
    const message = parseMessage('{"jsonrpc":"2.0","method":"x/y","params":{"a":1},"com.example/tag":true}');
    expect(message['com.example/tag']).toBe(true);
    expect(parseMessage({ jsonrpc: '2.0', error: { code: -32600, message: 'bad' } }).id).toBeNull();
  });

  it.each(['{"jsonrpc":"2.0",', 'not json', '', '{"a":1}}'])('answers %j with ParseError', (text) => {
    const error = protocolErrorOf(() => parseMessage(text));
    expect(error.code).toBe('ParseError');
    expect(error.rpcCode).toBe(-32700);
  });

  it.each([
    { case: 'an array (batch)', input: [{ jsonrpc: '2.0', id: 1, method: 'ping' }], id: undefined },
    { case: 'an array as text', input: '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', id: undefined },
    { case: 'a number', input: 42, id: undefined },
    { case: 'null text', input: 'null', id: undefined },
    { case: 'a JSON string', input: '"ping"', id: undefined },
    { case: 'wrong jsonrpc', input: { jsonrpc: '1.0', id: 5, method: 'ping' }, id: 5 },
    { case: 'wrong jsonrpc, id 0', input: { jsonrpc: '1.0', id: 0, method: 'ping' }, id: 0 },
    { case: 'missing jsonrpc', input: { id: 'r1', method: 'ping' }, id: 'r1' },
    { case: 'wrong jsonrpc, unreadable id', input: { jsonrpc: 2, id: { a: 1 }, method: 'ping' }, id: undefined },
    { case: 'no method, result or error', input: { jsonrpc: '2.0', id: 3 }, id: 3 },
    { case: 'non-string method', input: { jsonrpc: '2.0', id: 4, method: 12 }, id: 4 },
    { case: 'array params', input: { jsonrpc: '2.0', id: 6, method: 'tools/call', params: [1] }, id: 6 },
    { case: 'null params', input: { jsonrpc: '2.0', method: 'n', params: null }, id: undefined },
    { case: 'null request id', input: { jsonrpc: '2.0', id: null, method: 'ping' }, id: undefined },
    { case: 'fractional request id', input: { jsonrpc: '2.0', id: 1.5, method: 'ping' }, id: undefined },
    { case: 'non-object result', input: { jsonrpc: '2.0', id: 8, result: 'ok' }, id: undefined },
    { case: 'result and error', input: { jsonrpc: '2.0', id: 9, result: {}, error: { code: 1, message: 'm' } }, id: undefined },
    { case: 'result without id', input: { jsonrpc: '2.0', result: {} }, id: undefined },
    { case: 'error without message', input: { jsonrpc: '2.0', id: 10, error: { code: 1 } }, id: undefined },
    { case: 'error with fractional code', input: { jsonrpc: '2.0', id: 11, error: { code: 1.5, message: 'm' } }, id: undefined },
    { case: 'broken response, wrong jsonrpc', input: { jsonrpc: '1.0', id: 12, result: {} }, id: undefined },
  ])('rejects $case with InvalidRequest', ({ input, id }) => {
    const error = protocolErrorOf(() => parseMessage(input));
    expect(error.code).toBe('InvalidRequest');
    expect(error.rpcCode).toBe(-32600);
    const data = error.data as { reason: unknown; id?: unknown };
    expect(typeof data.reason).toBe('string');
    if (id === undefined) expect(data).not.toHaveProperty('id');
    else expect(data.id).toBe(id);
    if (typeof input !== 'string') expect(JSONRPCMessageSchema.safeParse(input).success).toBe(false);
  });

  it('turns a throwing getter on a parsed value into InvalidRequest', () => {
    const hostile = {
      jsonrpc: '2.0',
      get method(): string {
        throw new TypeError('boom');
      },
    };
    expect(protocolErrorOf(() => parseMessage(hostile)).code).toBe('InvalidRequest');
  });

  const onlyProtocolErrors = (input: unknown): void => {
    try {
      const message = parseMessage(input);
      expect(typeof message).toBe('object');
      expect(message).not.toBeNull();
      expect(message.jsonrpc).toBe('2.0');
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect(['ParseError', 'InvalidRequest']).toContain((error as ProtocolError).code);
    }
  };

  it('property: any JSON value, parsed or as text, yields a message or a ProtocolError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        onlyProtocolErrors(value);
        onlyProtocolErrors(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('property: any string as raw text yields a message or a ProtocolError', () => {
    fc.assert(fc.property(fc.string(), onlyProtocolErrors), { numRuns: 500 });
  });

  it('property: any value at all yields a message or a ProtocolError', () => {
    fc.assert(fc.property(fc.anything(), onlyProtocolErrors), { numRuns: 500 });
  });

  // Message-shaped records, so that most of the accept/reject branches are reached.
  const messageLike = fc.record(
    {
      jsonrpc: fc.constantFrom('2.0', '1.0', 2),
      id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.double(), fc.constant(null), fc.constant(2 ** 60)),
      method: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
      params: fc.oneof(fc.object({ maxDepth: 1 }), fc.array(fc.integer()), fc.constant(null)),
      result: fc.oneof(fc.object({ maxDepth: 1 }), fc.string(), fc.constant(null)),
      error: fc.oneof(
        fc.record({ code: fc.oneof(fc.integer(), fc.double()), message: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
        fc.constant('oops'),
      ),
    },
    { requiredKeys: [] },
  );

  it('property: parseMessage accepts exactly what JSONRPCMessageSchema accepts', () => {
    fc.assert(
      fc.property(messageLike, (input) => {
        const value = JSON.parse(JSON.stringify(input)) as unknown;
        let parsed = true;
        try {
          parseMessage(value);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
          parsed = false;
        }
        expect(JSONRPCMessageSchema.safeParse(value).success).toBe(parsed);
      }),
      { numRuns: 2000 },
    );
  });
});

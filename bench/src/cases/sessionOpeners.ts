import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';

/**
 * Idle sessions opened with plain `node:http`, the same client code for every
 * server implementation, so the broadcast and heap figures differ only by server.
 */
export interface IdleSession {
  /** Times the broadcast marker arrived on this session's stream. */
  ticks: number;
  /** `process.hrtime.bigint()` when it last arrived. */
  lastTickAt: bigint;
  /** Ends the session: DELETE when the protocol has one (`graceful`), then drops the stream. */
  close(graceful: boolean): Promise<void>;
}

/** Kinds of idle session. */
export type SessionKind = 'legacy' | 'modern' | 'sse' | 'raw';

/** What the broadcast writes; found by substring in each chunk. */
const MARKER = Buffer.from('tools/list_changed');
const LEGACY_VERSION = '2025-11-25';
const MODERN_VERSION = '2026-07-28';

/** Keep-alive connections for the short POST/DELETE exchanges; each stream gets its own socket. */
const shortAgent = new Agent({ keepAlive: true, maxSockets: 32 });

interface Reply {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

function exchange(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: shortAgent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface OpenStream {
  readonly req: ClientRequest;
  readonly res: IncomingMessage;
  /** Resolves with the stream's text so far once `predicate` accepts it. */
  until(predicate: (text: string) => boolean, timeoutMs: number): Promise<string>;
}

/** Opens a long-lived response stream on its own socket and starts counting broadcast markers on it. */
function openStream(url: string, method: string, headers: Record<string, string>, session: IdleSession, body?: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${method} ${url} answered ${res.statusCode}`));
        return;
      }
      let early = '';
      let waiter: (() => void) | undefined;
      res.on('data', (chunk: Buffer) => {
        if (chunk.indexOf(MARKER) >= 0) {
          session.ticks++;
          session.lastTickAt = process.hrtime.bigint();
        }
        if (early.length < 8192) {
          early += chunk.toString('utf8');
          waiter?.();
        }
      });
      res.on('error', () => {});
      resolve({
        req,
        res,
        until(predicate, timeoutMs) {
          return new Promise((done, fail) => {
            const timer = setTimeout(() => {
              waiter = undefined;
              fail(new Error(`stream ${url}: expected data not seen within ${timeoutMs} ms (got ${JSON.stringify(early.slice(0, 200))})`));
            }, timeoutMs);
            waiter = () => {
              if (!predicate(early)) return;
              clearTimeout(timer);
              waiter = undefined;
              done(early);
            };
            waiter();
          });
        },
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function drop(stream: OpenStream): void {
  stream.res.destroy();
  stream.req.destroy();
}

function jsonHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra };
}

function rpc(id: number | undefined, method: string, params?: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), method, ...(params ? { params } : {}) });
}

function newSession(): IdleSession {
  return { ticks: 0, lastTickAt: 0n, close: async () => {} };
}

/** Legacy Streamable HTTP: initialize, initialized, then the standalone GET stream. */
async function openLegacy(url: string): Promise<IdleSession> {
  const init = await exchange(
    url,
    'POST',
    jsonHeaders(),
    rpc(1, 'initialize', { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 'bench-idle', version: '1.0.0' } }),
  );
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sessionId !== 'string') throw new Error(`initialize answered ${init.status} without a session id`);
  const version = /"protocolVersion":"([^"]+)"/.exec(init.body)?.[1] ?? LEGACY_VERSION;
  const sessionHeaders = { 'mcp-session-id': sessionId, 'mcp-protocol-version': version };
  const initialized = await exchange(url, 'POST', jsonHeaders(sessionHeaders), rpc(undefined, 'notifications/initialized'));
  if (initialized.status !== 202) throw new Error(`initialized answered ${initialized.status}`);
  const session = newSession();
  const stream = await openStream(url, 'GET', { accept: 'text/event-stream', ...sessionHeaders }, session);
  session.close = async (graceful) => {
    if (graceful) await exchange(url, 'DELETE', sessionHeaders).catch(() => undefined);
    drop(stream);
  };
  return session;
}

/** Modern Streamable HTTP: one `subscriptions/listen` POST whose response stream stays open. */
async function openModern(url: string): Promise<IdleSession> {
  const session = newSession();
  const envelope = {
    'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
    'io.modelcontextprotocol/clientInfo': { name: 'bench-idle', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const stream = await openStream(
    url,
    'POST',
    jsonHeaders({ 'mcp-protocol-version': MODERN_VERSION, 'mcp-method': 'subscriptions/listen' }),
    session,
    rpc(1, 'subscriptions/listen', { _meta: envelope, notifications: { toolsListChanged: true } }),
  );
  await stream.until((text) => text.includes('notifications/subscriptions/acknowledged'), 10_000);
  session.close = async () => drop(stream);
  return session;
}

/** Legacy HTTP+SSE (2024-11-05): GET the stream, read the endpoint, initialize through it. */
async function openSse(url: string): Promise<IdleSession> {
  const session = newSession();
  const stream = await openStream(url, 'GET', { accept: 'text/event-stream' }, session);
  const early = await stream.until((text) => /event: endpoint\r?\ndata: [^\r\n]+\r?\n/.test(text), 10_000);
  const endpoint = new URL(/event: endpoint\r?\ndata: ([^\r\n]+)/.exec(early)![1]!, url).href;
  const init = await exchange(
    endpoint,
    'POST',
    jsonHeaders(),
    rpc(1, 'initialize', { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'bench-idle', version: '1.0.0' } }),
  );
  if (init.status !== 202) throw new Error(`SSE initialize answered ${init.status}`);
  await stream.until((text) => text.includes('"protocolVersion"'), 10_000);
  const initialized = await exchange(endpoint, 'POST', jsonHeaders(), rpc(undefined, 'notifications/initialized'));
  if (initialized.status !== 202) throw new Error(`SSE initialized answered ${initialized.status}`);
  session.close = async () => drop(stream);
  return session;
}

/** Raw baseline: a GET the server answers with an SSE stream. */
async function openRaw(url: string): Promise<IdleSession> {
  const session = newSession();
  const stream = await openStream(url, 'GET', { accept: 'text/event-stream' }, session);
  session.close = async () => drop(stream);
  return session;
}

const OPENERS: Readonly<Record<SessionKind, (url: string) => Promise<IdleSession>>> = {
  legacy: openLegacy,
  modern: openModern,
  sse: openSse,
  raw: openRaw,
};

/** Opens `count` idle sessions, `concurrency` at a time; fails on the first one that cannot be opened. */
export async function openSessions(kind: SessionKind, url: string, count: number, concurrency = 32): Promise<IdleSession[]> {
  const sessions: IdleSession[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      sessions.push(await OPENERS[kind](url));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return sessions;
}

/** Closes sessions, `concurrency` at a time. */
export async function closeSessions(sessions: readonly IdleSession[], graceful: boolean, concurrency = 32): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sessions.length) await sessions[next++]!.close(graceful);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sessions.length) }, worker));
}

/** Frees the keep-alive sockets of the short exchanges. */
export function closeAgent(): void {
  shortAgent.destroy();
}

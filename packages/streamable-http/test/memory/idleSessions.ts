/**
 * Opens 1,000 idle legacy sessions on a Streamable HTTP server, lets them
 * expire, and prints heap figures as one JSON line. Run with
 * `node --expose-gc --import tsx idleSessions.ts` (the memory test does).
 */
import { Agent, request } from 'node:http';
import { createServer } from '@tidings/protocol';
import { createStreamableHttpServer } from '../../src/index.js';

const SESSIONS = Number(process.env.SESSIONS ?? 1000);
const BATCH = 50;
// Long enough that no session expires while 1,000 are still being opened on a loaded machine.
const IDLE_MS = Number(process.env.IDLE_MS ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const server = createServer({ name: 'memory', version: '1' });
server.tool({ name: 'noop' }, () => 'ok');
const http = await createStreamableHttpServer({ server, port: 0, sessionIdleTimeoutMs: IDLE_MS });
const url = new URL(http.url);
const agent = new Agent({ keepAlive: true, maxSockets: BATCH });

function post(body: unknown, sessionId?: string): Promise<{ status: number; sessionId: string | undefined }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (sessionId) headers['mcp-session-id'] = sessionId;
    const req = request({ hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sessionId: res.headers['mcp-session-id'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function openSession(i: number): Promise<void> {
  const init = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: `idle-${i}`, version: '1' } },
  });
  if (init.status !== 200 || !init.sessionId) throw new Error(`initialize failed: ${init.status}`);
  const ack = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, init.sessionId);
  if (ack.status !== 202) throw new Error(`initialized failed: ${ack.status}`);
}

async function openMany(count: number): Promise<void> {
  for (let i = 0; i < count; i += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => openSession(i + j)));
  }
}

async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

async function expireAll(): Promise<void> {
  const deadline = Date.now() + IDLE_MS + 20_000;
  while (http.handler.sessionCount > 0 || server.sessions().length > 0) {
    if (Date.now() > deadline) throw new Error(`sessions did not expire: ${http.handler.sessionCount} left`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Warm-up: load every code path once so the baseline includes compiled code and pools.
await openMany(300);
await expireAll();
const baseline = await settle();

await openMany(SESSIONS);
const open = server.sessions().length;
const peak = await settle();
await expireAll();
const final = await settle();

agent.destroy();
await http.close();
console.log(JSON.stringify({ sessions: SESSIONS, open, baseline, peak, final, perSessionBytes: Math.round((peak - baseline) / SESSIONS) }));

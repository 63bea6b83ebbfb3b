import { request, type ClientRequest } from 'node:http';

/** A modern listen stream that counts every tools/list_changed it gets (the throughput side of the cluster case). */
export interface CountedStream {
  /** Notifications seen so far. */
  readonly count: number;
  /** `process.hrtime.bigint()` of the last one. */
  readonly lastAt: bigint;
  close(): void;
}

const MARKER = 'tools/list_changed';
const MODERN_VERSION = '2026-07-28';

/**
 * Opens `subscriptions/listen` on `url` with plain node:http and resolves once
 * it was acknowledged. Every occurrence of the marker counts, also when many
 * events share a chunk or one is split across two (the last bytes are carried
 * over), so a loss or a duplicate shows in `count`.
 */
export function openCountedStream(url: string, timeoutMs = 10_000): Promise<CountedStream> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'subscriptions/listen',
    params: {
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
        'io.modelcontextprotocol/clientInfo': { name: 'bench-cluster', version: '1.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
      notifications: { toolsListChanged: true },
    },
  });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN_VERSION,
    'mcp-method': 'subscriptions/listen',
  };
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    const timer = setTimeout(() => {
      req?.destroy();
      reject(new Error(`listen stream ${url} not acknowledged within ${timeoutMs} ms`));
    }, timeoutMs);
    const state = { count: 0, lastAt: 0n, close: () => req?.destroy() };
    req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        clearTimeout(timer);
        res.resume();
        reject(new Error(`listen answered ${res.statusCode}`));
        return;
      }
      let carry = '';
      let acknowledged = false;
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        const text = carry + chunk;
        let seen = 0;
        for (let at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + MARKER.length)) seen++;
        if (seen > 0) {
          state.count += seen;
          state.lastAt = process.hrtime.bigint();
        }
        // Shorter than the marker: an occurrence found next time cannot have been counted already.
        carry = text.slice(-(MARKER.length - 1));
        if (!acknowledged && text.includes('notifications/subscriptions/acknowledged')) {
          acknowledged = true;
          clearTimeout(timer);
          resolve(state);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}

import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * How a cut ends a connection. `reset`: both sockets reset (RST), what was
 * in flight is lost. `end`: the client reads up to the cut, then the
 * connection ends (FIN) mid-response; the server sees its socket close.
 * `silent`: the client's side ends as with `end`, but the server's side stays
 * open and what it writes is thrown away, as when a client vanishes behind a
 * NAT and the server cannot know until the client comes back.
 */
export type CutMode = 'reset' | 'end' | 'silent';

/** One planned cut: `at` bytes of counted response body after `arm`. */
export interface Cut {
  readonly at: number;
  readonly mode: CutMode;
}

/** Options of {@link startCutProxy}. */
export interface CutProxyOptions {
  /** URL of the server to forward to (http: or ws:); only its host and port are used. */
  readonly target: string;
  /** Whether a connection counts towards cuts, judged on the head of its (first) response. */
  cuttable(head: string): boolean;
  /**
   * Rewrites every HTTP response head to `Connection: close`, so each TCP
   * connection carries one exchange and is judged by its own head (a pooled
   * connection would otherwise carry a resumed stream under the head of an
   * earlier POST). Not for WebSocket upgrades, whose head is kept.
   */
  readonly oneExchangePerConnection?: boolean;
}

/** A TCP proxy on 127.0.0.1 that cuts connections after planned numbers of bytes. */
export interface CutProxy {
  /** `target` with the proxy's port in place of the server's. */
  readonly url: string;
  /** Cuts done since the last `arm`. */
  readonly cutsDone: number;
  /**
   * Plans cuts, counting response-body bytes of cuttable connections from
   * now, server to client, across connections in arrival order. Resolves once
   * every planned cut happened (never rejects; wait on it with a timeout).
   */
  arm(cuts: readonly Cut[]): Promise<void>;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** The response head being read; undefined once it was judged. */
  head: Buffer | undefined;
  counting: boolean;
  /** Cut: nothing more goes to the client. */
  cut: boolean;
  /** Cut in `silent` mode: the server's side stays open and is read into the void. */
  silenced: boolean;
  waitingDrain: boolean;
}

const HEAD_END = Buffer.from('\r\n\r\n');
/** A head longer than this is not HTTP we understand: forwarded as is, never counted. */
const MAX_HEAD = 64 * 1024;

/** Starts a {@link CutProxy} in front of `options.target`. */
export async function startCutProxy(options: CutProxyOptions): Promise<CutProxy> {
  const target = new URL(options.target);
  const pairs = new Set<Pair>();
  let plan: Cut[] = [];
  let counted = 0;
  let cutsDone = 0;
  let allCut: (() => void) | undefined;

  const forward = (pair: Pair, data: Buffer): void => {
    if (data.length === 0 || pair.client.destroyed) return;
    // Backpressure: a client that reads slowly slows the server, as it would without the proxy.
    if (!pair.client.write(data) && !pair.waitingDrain) {
      pair.waitingDrain = true;
      pair.upstream.pause();
      pair.client.once('drain', () => {
        pair.waitingDrain = false;
        pair.upstream.resume();
      });
    }
  };

  const cut = (pair: Pair, mode: CutMode): void => {
    pair.cut = true;
    if (mode === 'reset') {
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
      return;
    }
    pair.client.end();
    if (mode === 'end') pair.upstream.destroy();
    else {
      pair.silenced = true;
      pair.upstream.resume();
    }
  };

  const counts = (pair: Pair, chunk: Buffer): void => {
    const next = plan[0];
    const room = next === undefined ? Infinity : next.at - counted;
    if (chunk.length < room) {
      counted += chunk.length;
      return forward(pair, chunk);
    }
    // The cut falls inside this chunk: the client gets the bytes before it, then the cut.
    forward(pair, chunk.subarray(0, room));
    counted += room;
    plan.shift();
    cutsDone++;
    cut(pair, next!.mode);
    if (plan.length === 0) allCut?.();
  };

  const fromServer = (pair: Pair, chunk: Buffer): void => {
    if (pair.cut) return;
    if (pair.head === undefined) return pair.counting ? counts(pair, chunk) : forward(pair, chunk);
    const buffered = Buffer.concat([pair.head, chunk]);
    const end = buffered.indexOf(HEAD_END);
    if (end === -1 && buffered.length <= MAX_HEAD) {
      pair.head = buffered;
      return;
    }
    pair.head = undefined;
    if (end === -1) return forward(pair, buffered);
    let head = buffered.subarray(0, end).toString('latin1');
    pair.counting = options.cuttable(head);
    if (options.oneExchangePerConnection && !/^HTTP\/1\.1 101/.test(head)) head = connectionClose(head);
    forward(pair, Buffer.from(`${head}\r\n\r\n`, 'latin1'));
    const body = buffered.subarray(end + HEAD_END.length);
    if (pair.counting) counts(pair, body);
    else forward(pair, body);
  };

  const listener = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    const pair: Pair = { client, upstream, head: Buffer.alloc(0), counting: false, cut: false, silenced: false, waitingDrain: false };
    pairs.add(pair);
    // Sockets of a cut connection report resets; nothing here is a test failure.
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => fromServer(pair, data));
    // A silenced pair keeps the server's side open: the server must not learn of the cut.
    client.on('end', () => void (pair.silenced || upstream.end()));
    upstream.on('end', () => void client.end());
    client.on('close', () => void (pair.silenced || upstream.destroy()));
    upstream.on('close', () => {
      client.destroy();
      pairs.delete(pair);
    });
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const url = new URL(options.target);
  url.hostname = '127.0.0.1';
  url.port = String((listener.address() as AddressInfo).port);

  return {
    url: url.href,
    get cutsDone() {
      return cutsDone;
    },
    arm(cuts) {
      plan = [...cuts].sort((a, b) => a.at - b.at);
      counted = 0;
      cutsDone = 0;
      if (plan.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => (allCut = resolve));
    },
    async close() {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await closed;
    },
  };
}

/** The head with its Connection and Keep-Alive headers replaced by `Connection: close`. */
function connectionClose(head: string): string {
  const lines = head.split('\r\n').filter((line, i) => i === 0 || !/^(connection|keep-alive)\s*:/i.test(line));
  return [...lines, 'Connection: close'].join('\r\n');
}

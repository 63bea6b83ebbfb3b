import { createClient, ProtocolError, type Client, type Diagnostic, type Era, type Transport, type TransportError } from '@tidings/protocol';
import { check, ConformanceFailure } from '../assert.js';

/** A Tidings client a chaos scenario opened, with what it reported. */
export interface ChaosClient {
  /** Its `clientInfo.name`, unique per client (find it in `list_sessions`). */
  readonly name: string;
  readonly client: Client;
  /** Everything its engine reported (a duplicated progress shows here as `progress-not-increasing`). */
  readonly diagnostics: readonly Diagnostic[];
  /** Transport faults that did not close it. */
  readonly errors: readonly TransportError[];
  /** Text of the first content block of a successful tool result. */
  callText(name: string, args?: Record<string, unknown>): Promise<string>;
}

let counter = 0;

/**
 * Connects a Tidings client of `era` over `transport`; `onCleanup` gets its
 * close. Rejects when the client cannot connect.
 */
export async function connectChaosClient(transport: Transport, era: Era, onCleanup: (fn: () => Promise<void>) => void): Promise<ChaosClient> {
  const name = `chaos-client-${++counter}`;
  const diagnostics: Diagnostic[] = [];
  const errors: TransportError[] = [];
  const client = createClient(
    { name, version: '1.0.0' },
    { era, onDiagnostic: (d) => diagnostics.push(d), onError: (e) => errors.push(e), listenRetryMs: 20 },
  );
  onCleanup(() => client.close());
  await client.connect(transport);
  return {
    name,
    client,
    diagnostics,
    errors,
    async callText(tool, args = {}) {
      const result = await client.callTool(tool, args);
      const first = result.content[0];
      check(first?.type === 'text' && !result.isError, `${tool} should answer with text, got ${JSON.stringify(result)}`);
      return first.text;
    },
  };
}

/**
 * Waits for `promise`, failing with `what` when it has not settled within
 * `ms`: the bound that turns a hang into a failure that says what hung.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConformanceFailure(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fails unless `promise` rejects within `ms` with ProtocolError ConnectionClosed (JSON-RPC −32000). */
export async function checkClosedPromptly(promise: Promise<unknown>, ms: number, what: string): Promise<void> {
  const outcome = await within(
    promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    ms,
    `${what} (pending at the cut)`,
  );
  check(!outcome.ok, `${what} should have failed with ConnectionClosed at the cut, but resolved with ${JSON.stringify(outcome.ok && outcome.value)}`);
  const { error } = outcome;
  check(
    error instanceof ProtocolError && error.code === 'ConnectionClosed' && error.rpcCode === -32000,
    `${what} should reject with ProtocolError ConnectionClosed (−32000), got ${error instanceof ProtocolError ? `${error.code} (${error.rpcCode})` : String(error)}`,
  );
}

/**
 * Fails unless `seen` is exactly 1…`count` in order; the message counts what
 * was lost and duplicated (plus `duplicatesElsewhere`, duplicates the client
 * dropped before they reached `seen`) and names the first of each.
 */
export function checkExactlyOnce(seen: readonly number[], count: number, what: string, duplicatesElsewhere = 0): void {
  const times = new Map<number, number>();
  for (const n of seen) times.set(n, (times.get(n) ?? 0) + 1);
  const lost: number[] = [];
  for (let n = 1; n <= count; n++) if (!times.has(n)) lost.push(n);
  const duplicated = [...times].filter(([, t]) => t > 1).map(([n]) => n);
  const disorder = seen.findIndex((n, i) => i > 0 && n <= seen[i - 1]!);
  const dupCount = seen.length - times.size + duplicatesElsewhere;
  if (lost.length === 0 && dupCount === 0 && disorder === -1 && seen.length === count) return;
  throw new ConformanceFailure(
    `${what}: ${lost.length} lost${lost.length ? ` (first ${lost.slice(0, 5).join(', ')})` : ''}, ` +
      `${dupCount} duplicated${duplicated.length ? ` (first ${duplicated.slice(0, 5).join(', ')})` : ''}` +
      `${disorder === -1 ? '' : `, out of order at index ${disorder} (${seen[disorder - 1]} then ${seen[disorder]})`}` +
      `, ${seen.length} received of ${count}`,
  );
}

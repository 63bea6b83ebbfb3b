import { parseArgs } from 'node:util';

/** Transports the reference server can be started on. */
export const REFERENCE_TRANSPORTS = ['stdio', 'websocket', 'sse', 'streamable-http'] as const;

/** One of {@link REFERENCE_TRANSPORTS}. */
export type ReferenceTransport = (typeof REFERENCE_TRANSPORTS)[number];

/** How an HTTP transport is served: Node's `(req, res)` handler, or the fetch handler behind Node's own `Request`/`Response`. */
export const REFERENCE_RUNTIMES = ['node', 'fetch'] as const;

/** One of {@link REFERENCE_RUNTIMES}. */
export type ReferenceRuntime = (typeof REFERENCE_RUNTIMES)[number];

/** What `pnpm reference-server` was asked for. */
export interface ReferenceArgs {
  /** The transport to serve (`--transport`, required). */
  readonly transport: ReferenceTransport;
  /** Port of a network transport; 0 picks a free one. @default 0 */
  readonly port: number;
  /** Interface of a network transport. @default '127.0.0.1' */
  readonly host: string;
  /** The binding an HTTP transport is served through (`--runtime`). @default 'node' */
  readonly runtime: ReferenceRuntime;
  /** Joins the cluster of nodes on this Redis (`--redis <url>`, PROTOCOL.md §cluster); none by default. */
  readonly redis?: string;
  /** This node's id in the cluster (`--node-id`). @default a random UUID */
  readonly nodeId?: string;
  /**
   * The key of modern `requestState`, the same on every node of a cluster
   * (`--request-state-secret`, else the environment's
   * `TIDINGS_REQUEST_STATE_SECRET`). @default a random key per process
   */
  readonly requestStateSecret?: string;
}

/** Usage line printed with every argument error. */
export const REFERENCE_USAGE = `usage: reference-server --transport <${REFERENCE_TRANSPORTS.join('|')}> [--port N] [--host H] [--runtime <${REFERENCE_RUNTIMES.join('|')}>] [--redis <url> [--node-id ID] [--request-state-secret KEY]]`;

/**
 * Reads `--transport`, `--port`, `--host`, `--runtime`, `--redis`, `--node-id` and
 * `--request-state-secret` from the command line. Throws an
 * Error whose message says what is wrong (unknown option, missing or unknown
 * transport, a port outside 0–65535); the CLI prints it with the usage.
 */
export function parseReferenceArgs(argv: readonly string[]): ReferenceArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      transport: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      runtime: { type: 'string', default: 'node' },
      redis: { type: 'string' },
      'node-id': { type: 'string' },
      'request-state-secret': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const transport = values.transport;
  if (transport === undefined) throw new Error('--transport is required');
  if (!(REFERENCE_TRANSPORTS as readonly string[]).includes(transport)) {
    throw new Error(`unknown transport ${JSON.stringify(transport)}`);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) throw new Error(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
  const runtime = values.runtime;
  if (!(REFERENCE_RUNTIMES as readonly string[]).includes(runtime)) throw new Error(`unknown runtime ${JSON.stringify(runtime)}`);
  if (runtime === 'fetch' && transport !== 'streamable-http' && transport !== 'sse') {
    throw new Error(`--runtime fetch serves the HTTP transports (streamable-http, sse), not ${transport}`);
  }
  if (values.redis !== undefined && !/^rediss?:\/\//.test(values.redis)) throw new Error(`--redis must be a redis:// or rediss:// URL, got ${JSON.stringify(values.redis)}`);
  if (values['node-id'] !== undefined && values.redis === undefined) throw new Error('--node-id names a node of a cluster: it needs --redis');
  const secret = values['request-state-secret'] ?? process.env.TIDINGS_REQUEST_STATE_SECRET;
  return {
    transport: transport as ReferenceTransport,
    port,
    host: values.host,
    runtime: runtime as ReferenceRuntime,
    ...(values.redis === undefined ? {} : { redis: values.redis }),
    ...(values['node-id'] === undefined ? {} : { nodeId: values['node-id'] }),
    ...(secret === undefined || secret === '' ? {} : { requestStateSecret: secret }),
  };
}

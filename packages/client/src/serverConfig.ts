import type { EraPreference } from '@tidings/protocol';

/** The wires a server entry can name; `type` values map onto these (see `parseServerEntry`). */
export type ServerTransport = 'stdio' | 'streamable-http' | 'sse' | 'websocket';

/** Fields every entry has once read. */
interface ServerConfigBase {
  /** The entry's key under `mcpServers`: how events and errors name the server. */
  readonly name: string;
  /** The era to speak (a Tidings extension of the format, ignored by other hosts). @default the pool's `era` */
  readonly era: EraPreference | undefined;
}

/** A server Tidings starts as a child process and talks to over its stdin and stdout. */
export interface StdioServerConfig extends ServerConfigBase {
  readonly transport: 'stdio';
  /** Executable, spawned without a shell. */
  readonly command: string;
  readonly args: readonly string[];
  /** Variables set on top of the pool's environment (`process.env` by default), as hosts do. */
  readonly env: Readonly<Record<string, string>>;
  /** Working directory, resolved against the config file's folder. */
  readonly cwd: string | undefined;
}

/** A server reached over the network. */
export interface RemoteServerConfig extends ServerConfigBase {
  /**
   * `streamable-http` falls back to the 2024-11-05 HTTP+SSE transport when the
   * server refuses it the way such servers do (2025-11-25 transports §backwards compatibility).
   */
  readonly transport: 'streamable-http' | 'sse' | 'websocket';
  readonly url: string;
  /** Sent on every request (or the WebSocket upgrade): authorization, API keys. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One server entry of an `mcpServers` config, validated and with `${VAR}` references expanded. */
export type ServerConfig = StdioServerConfig | RemoteServerConfig;

/** A whole config, as `readServersConfig` returns it. */
export interface ServersConfig {
  /** The enabled servers, in the order of the file. */
  readonly servers: readonly ServerConfig[];
  /** Names of entries marked `"disabled": true` (Cline, Roo Code), left out of `servers`. */
  readonly disabled: readonly string[];
  /** The file it was read from, when it was. */
  readonly path: string | undefined;
}

import type { Transport } from '@tidings/protocol';
import { createSseClientTransport } from '@tidings/sse/client';
import { createStdioClientTransport } from '@tidings/stdio';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { createWebSocketClientTransport } from '@tidings/websocket';
import type { ServerConfig } from './serverConfig.js';

/** What opening a transport needs besides the entry. */
export interface OpenTransportOptions {
  /** Environment a stdio server's `env` is laid over. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Each line a stdio server writes to its stderr: its log, kept apart from the protocol on stdout. */
  readonly onStderr: (line: string) => void;
}

/** A fresh, unstarted transport for one server entry; a reconnect opens another. */
export function openTransport(config: ServerConfig, options: OpenTransportOptions): Transport & { readonly pid?: number | undefined } {
  switch (config.transport) {
    case 'stdio':
      return createStdioClientTransport({
        command: config.command,
        args: config.args,
        env: { ...options.env, ...config.env },
        cwd: config.cwd,
        stderr: options.onStderr,
      });
    case 'streamable-http':
      return createStreamableHttpClientTransport(config.url, { headers: config.headers });
    case 'sse':
      return createSseClientTransport(config.url, { headers: config.headers });
    case 'websocket':
      return createWebSocketClientTransport(config.url, { headers: config.headers });
  }
}

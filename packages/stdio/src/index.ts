export { DEFAULT_KILL_AFTER_MS, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_QUEUED_BYTES } from './constants.js';
export { createStdioServerTransport } from './createStdioServerTransport.js';
export type { StdioServerTransport, StdioServerTransportOptions } from './createStdioServerTransport.js';
export { serveStdio } from './serveStdio.js';
export { createStdioClientTransport } from './createStdioClientTransport.js';
export type {
  StdioClientTransport,
  StdioClientTransportOptions,
  StdioExit,
  StdioStderr,
} from './createStdioClientTransport.js';

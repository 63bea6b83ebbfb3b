export { runCli } from './runCli.js';
export { CLI_VERSION } from './version.js';
export type { WatchEvent, WatchedServer } from './watchEvent.js';

export { connectServers } from './connectServers.js';
export type {
  ConnectedServers,
  ConnectServersOptions,
  NotificationSource,
  PerServerOptions,
  ReconnectOptions,
  ServerFailure,
  ServerNotification,
} from './connectServers.js';
export { readServersConfig } from './readServersConfig.js';
export type { McpServersJson, ReadServersConfigOptions } from './readServersConfig.js';
export { ConfigError } from './configError.js';
export type { ConfigErrorCode, ConfigErrorLocation } from './configError.js';
export type { RemoteServerConfig, ServerConfig, ServersConfig, ServerTransport, StdioServerConfig } from './serverConfig.js';
export type { ServerState, ServerStateChange } from './serverState.js';

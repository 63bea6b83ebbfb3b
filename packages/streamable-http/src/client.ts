export { createStreamableHttpClientTransport } from './client/createStreamableHttpClientTransport.js';
export type {
  StreamableHttpClientTransport,
  StreamableHttpClientTransportOptions,
} from './client/createStreamableHttpClientTransport.js';
export type { ReconnectOptions } from './client/reconnectPolicy.js';

export { createSseClientTransport } from '@tidings/http';
export type { SseClientTransport, SseClientTransportOptions } from '@tidings/http';

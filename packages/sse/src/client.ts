export { createSseClientTransport } from '@tidings/http/client';
export type { SseClientTransport, SseClientTransportOptions } from '@tidings/http/client';

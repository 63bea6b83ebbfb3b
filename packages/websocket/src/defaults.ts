/** Default largest inbound message of both sides: 4 MiB (DESIGN §3). */
export const DEFAULT_MAX_PAYLOAD = 4 * 1024 * 1024;
/** Default bound of the bytes waiting to be written to one peer: 8 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Default bound of the messages waiting to be written to one peer: 10,000. */
export const DEFAULT_MAX_QUEUED_MESSAGES = 10_000;
/** Default interval of the server's ping/pong heartbeat: 30 s. */
export const DEFAULT_HEARTBEAT_MS = 30_000;
/** Default wait for the peer's close frame before a socket is dropped: 2 s. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;

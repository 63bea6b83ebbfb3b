/**
 * Largest inbound message, in bytes of UTF-8 without the line terminator
 * (DESIGN §3: bounded message size, 4 MiB by default).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Outbound bytes that may wait in a stream's buffer for a slow reader before
 * `send` rejects (the slow-consumer policy of DESIGN §3).
 */
export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * Outbound messages that may wait above the stream's high-water mark for a
 * slow reader before `send` rejects, so tiny messages cannot pile up under
 * the byte bound (PROTOCOL.md §slow-consumers).
 */
export const MAX_QUEUED_MESSAGES = 10_000;

/**
 * How long a client waits at each step of the shutdown sequence: after
 * closing the child's stdin, then after SIGTERM (stdio.mdx §shutdown).
 */
export const DEFAULT_KILL_AFTER_MS = 2000;

import WebSocket from 'ws';

/** One connection as the heartbeat sees it. */
export interface HeartbeatPeer {
  readonly socket: WebSocket;
  /** Set by the owner when a pong arrives; cleared by each ping. */
  alive: boolean;
}

/**
 * Pings every open peer each `intervalMs`; a peer that has not answered the
 * previous ping by then is handed to `drop` (a dead or wedged peer is found
 * within two intervals). Returns the function that stops the heartbeat.
 * A non-positive or infinite interval disables it.
 */
export function startHeartbeat<P extends HeartbeatPeer>(
  intervalMs: number,
  peers: Iterable<P>,
  drop: (peer: P) => void,
): () => void {
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) return () => {};
  const timer = setInterval(() => {
    for (const peer of peers) {
      if (peer.socket.readyState !== WebSocket.OPEN) continue;
      if (!peer.alive) {
        drop(peer);
        continue;
      }
      peer.alive = false;
      peer.socket.ping();
    }
  }, intervalMs);
  // The listening socket keeps the process alive, not the heartbeat.
  timer.unref();
  return () => clearInterval(timer);
}

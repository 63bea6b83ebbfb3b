import WebSocket from 'ws';

/** One connection as the heartbeat sees it. */
export interface HeartbeatPeer {
  /** The socket pinged; only open sockets take part. */
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
  let verdict: ReturnType<typeof setImmediate> | undefined;

  const ping = (peer: P): void => {
    peer.alive = false;
    peer.socket.ping();
  };

  const timer = setInterval(() => {
    const suspects: P[] = [];
    for (const peer of peers) {
      if (peer.socket.readyState !== WebSocket.OPEN) continue;
      if (peer.alive) ping(peer);
      else suspects.push(peer);
    }
    if (suspects.length === 0) return;
    // Timers run before I/O in an event-loop turn: after a stall of our own loop the
    // pong may have arrived unread. Judge once this turn's I/O has been read.
    verdict = setImmediate(() => {
      verdict = undefined;
      for (const peer of suspects) {
        if (peer.socket.readyState !== WebSocket.OPEN) continue;
        if (peer.alive) ping(peer);
        else drop(peer);
      }
    });
  }, intervalMs);
  // The listening socket keeps the process alive, not the heartbeat.
  timer.unref();
  return () => {
    clearInterval(timer);
    if (verdict !== undefined) clearImmediate(verdict);
  };
}

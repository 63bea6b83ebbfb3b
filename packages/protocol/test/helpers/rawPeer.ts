import type { Transport } from '../../src/transport.js';

/** The far end of a memory pair driven by hand: records what arrives, sends raw JSON. */
export interface RawPeer {
  readonly received: Array<Record<string, any>>;
  send(message: unknown): Promise<void>;
  sendText(text: string): Promise<void>;
  /** Messages received with this method. */
  ofMethod(method: string): Array<Record<string, any>>;
  /** The response for this id, if any. */
  responseTo(id: unknown): Record<string, any> | undefined;
  closed: boolean;
}

export function attachRawPeer(transport: Transport): RawPeer {
  const peer: RawPeer = {
    received: [],
    closed: false,
    send: (message) => transport.send(JSON.stringify(message)),
    sendText: (text) => transport.send(text),
    ofMethod: (method) => peer.received.filter((m) => m.method === method),
    responseTo: (id) => peer.received.find((m) => !('method' in m) && m.id === id),
  };
  transport.start({
    message: (data) => peer.received.push(JSON.parse(data as string)),
    closed: () => {
      peer.closed = true;
    },
    error: () => {},
  });
  return peer;
}

import { TransportError } from '@tidings/protocol';
import type { StdioClientTransport } from '../../src/index.js';

/** A hand-driven client over a stdio transport: sends raw lines, records every parsed line. */
export interface RawPeer {
  readonly received: Array<Record<string, any>>;
  readonly errors: TransportError[];
  readonly closedWith: { reason: Error | undefined } | undefined;
  sendLine(text: string): Promise<void>;
  send(message: unknown): Promise<void>;
  /** The response to this id, if it arrived. */
  responseTo(id: unknown): Record<string, any> | undefined;
}

export function attachRawPeer(transport: StdioClientTransport): RawPeer {
  let closedWith: { reason: Error | undefined } | undefined;
  const peer: RawPeer = {
    received: [],
    errors: [],
    get closedWith() {
      return closedWith;
    },
    sendLine: (text) => transport.send(text),
    send: (message) => transport.send(JSON.stringify(message)),
    responseTo: (id) => peer.received.find((m) => !('method' in m) && m.id === id),
  };
  transport.start({
    message: (data) => peer.received.push(JSON.parse(data as string)),
    closed: (reason) => {
      closedWith = { reason };
    },
    error: (error) => peer.errors.push(error),
  });
  return peer;
}

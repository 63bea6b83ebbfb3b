import * as z from 'zod';
import { defineNotification } from '../defineNotification.js';

/**
 * Sent first on a resumed SSE stream when the event store no longer holds
 * every message after the client's `Last-Event-ID` (PROTOCOL.md
 * §resume-horizon): `missed` messages of stream `streamId` after event
 * `after` are gone, and the replay goes on with the oldest one kept. It
 * carries no event id, so the client's resume cursor does not move. A
 * Tidings client hears it with `client.on(EventsMissed, fn)`.
 */
export const EventsMissed = defineNotification(
  'tidings/events-missed',
  z.object({ streamId: z.string(), after: z.string(), missed: z.number().int().positive() }),
);

/** The {@link EventsMissed} notification as JSON-RPC text. */
export function eventsMissedMessage(streamId: string, after: string, missed: number): string {
  return JSON.stringify({ jsonrpc: '2.0', method: EventsMissed.method, params: { streamId, after, missed } });
}

/**
 * How many messages a resume loses: the client saw `seenPosition` messages
 * of the stream, and the first one the replay can give is `nextPosition`
 * (positions count messages from 1). Zero when nothing is lost or the
 * cursor has no position (an id minted without one).
 */
export function messagesMissed(seenPosition: number | undefined, nextPosition: number): number {
  return seenPosition === undefined ? 0 : Math.max(0, nextPosition - 1 - seenPosition);
}

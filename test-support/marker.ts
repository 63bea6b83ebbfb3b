import { CUSTOM_NOTIFICATIONS_FILTER_KEY, defineNotification, type Client, type Server } from '@tidings/protocol';
import { z } from 'zod';
import { waitFor } from './waitFor.js';

/**
 * The marker of every "nothing more arrives" check in the packages' tests: a
 * custom notification the server sends after the event under test. A
 * connection (a legacy session, a listen stream) keeps its order, so once the
 * marker is in, whatever the server sent before it is in too: what is missing
 * then was never sent. No sleep, and no guess at how long "long enough" is.
 */
export const Marker = defineNotification('custom/marker', z.object({ n: z.number() }));

/** The listen filter entry a raw modern listen stream needs to receive markers (custom methods are asked for by name). */
export const MARKER_FILTER = { [CUSTOM_NOTIFICATIONS_FILTER_KEY]: [Marker.method] } as const;

/**
 * Records the `n` of every marker `client` receives, in arrival order. Called
 * by a test before `client.listening()`, so that a modern listen asks for
 * markers too.
 */
export function watchMarkers(client: Pick<Client, 'on'>): number[] {
  const seen: number[] = [];
  client.on(Marker, ({ n }) => seen.push(n));
  return seen;
}

/**
 * Broadcasts marker `n` after the event under test and resolves once every
 * list of `watchers` (from {@link watchMarkers}, on clients of `server`) holds
 * it; rejects after `timeoutMs`. Resolves with how many recipients the
 * broadcast reached. After it, "X did not arrive" is a final answer.
 */
export async function sendMarker(server: Server, watchers: ReadonlyArray<readonly number[]>, n = 1, timeoutMs = 5000): Promise<number> {
  const reached = await server.broadcast(Marker, { n });
  await waitFor(() => {
    const missing = watchers.filter((seen) => !seen.includes(n)).length;
    if (missing > 0) throw new Error(`marker ${n} has not reached ${missing} of ${watchers.length} watchers (broadcast reached ${reached})`);
  }, timeoutMs);
  return reached;
}

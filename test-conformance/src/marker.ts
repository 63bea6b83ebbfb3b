import { check, eventually } from './assert.js';
import type { ConnectedClient } from './types.js';

/** URIs of markers start with this; no server under test has a resource there. */
const MARKER_URI_PREFIX = 'test://marker/';

/**
 * A scenario's proof that nothing more arrives (one per client): after the
 * event, the scenario passes a marker and checks what did not arrive only
 * once the marker did. The marker is a `notifications/resources/updated` for a
 * URI only this client subscribed to, sent by `touch_resource`, a tool of the
 * basic set every server under test has (see `TransportCapabilities.referenceServer`).
 * The server-initiated messages of one client share one ordered stream (the
 * legacy session's, the modern listen stream), so once the marker is in,
 * whatever the server sent that client before it is in too.
 */
export interface ScenarioMarker {
  /** The URI this client's markers carry; a handler of resources/updated leaves it out with {@link isMarkerUri}. */
  readonly uri: string;
  /** Sends the next marker through this client's own connection and resolves once it arrived. */
  pass(): Promise<void>;
}

/** Whether a resources/updated URI is a marker's, not one a scenario watches. */
export function isMarkerUri(uri: string): boolean {
  return uri.startsWith(MARKER_URI_PREFIX);
}

/**
 * Subscribes `connected` to its marker URI; called before the event under
 * test (on a modern client it re-opens the listen subscription with that URI).
 */
export async function watchMarker(connected: ConnectedClient): Promise<ScenarioMarker> {
  const uri = `${MARKER_URI_PREFIX}${connected.name}`;
  let arrived = 0;
  let sent = 0;
  connected.client.on('notifications/resources/updated', (params) => {
    if (params.uri === uri) arrived++;
  });
  await connected.client.subscribe(uri);
  return {
    uri,
    async pass() {
      const n = ++sent;
      await connected.callText('touch_resource', { uri });
      await eventually(() => check(arrived >= n, `marker ${n} (resources/updated for ${uri}) should reach ${connected.name}`));
    },
  };
}

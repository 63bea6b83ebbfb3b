import { type RequestId } from '@tidings/protocol';
import { withRequestId, withSubscriptionIdMapped } from '@tidings/protocol/http';
import type { InFlight } from './inFlight.js';

type Message = Readonly<Record<string, unknown>>;

/**
 * The requests on the wire, by wire id and by engine id, and the re-issue of
 * a modern request whose stream broke (2026-07-28 streamable-http §client
 * behavior): the request goes out again under a new wire id, since the server
 * may still hold the old one, and everything that comes back under the wire
 * id is mapped back to the id the engine knows.
 */
export class Reissuer {
  readonly #byWire = new Map<RequestId, InFlight>();
  readonly #wireOf = new Map<RequestId, RequestId>();
  #reissues = 0;

  /** Starts tracking a request under its engine id. */
  track(f: InFlight): void {
    this.#byWire.set(f.wireId, f);
    this.#wireOf.set(f.engineId, f.wireId);
  }

  /** The request a response with this wire id answers. */
  byWire(id: RequestId): InFlight | undefined {
    return this.#byWire.get(id);
  }

  /** The request the engine knows by this id. */
  byEngine(id: RequestId): InFlight | undefined {
    const wire = this.#wireOf.get(id);
    return wire === undefined ? undefined : this.#byWire.get(wire);
  }

  /** Moves the request to a new wire id and returns the text to POST. */
  reissue(f: InFlight): string {
    this.#byWire.delete(f.wireId);
    f.wireId = `tidings-reissue-${++this.#reissues}`;
    this.track(f);
    return JSON.stringify(withRequestId(f.message, f.wireId));
  }

  /** The response to `f` with the engine's id. */
  responseToEngine(response: Message, f: InFlight): Message {
    return f.wireId === f.engineId ? response : withRequestId(response, f.engineId);
  }

  /** A message from `f`'s stream with a subscription id that names the wire id mapped back (a re-issued listen). */
  streamMessageToEngine(message: Message, f: InFlight): Message {
    return f.wireId === f.engineId ? message : withSubscriptionIdMapped(message, f.wireId, f.engineId);
  }

  /** Stops tracking a request. */
  forget(f: InFlight): void {
    if (this.#byWire.get(f.wireId) === f) this.#byWire.delete(f.wireId);
    if (this.#wireOf.get(f.engineId) === f.wireId) this.#wireOf.delete(f.engineId);
  }

  /** Every tracked request, then none (closing). */
  drain(): InFlight[] {
    const all = [...this.#byWire.values()];
    this.#byWire.clear();
    this.#wireOf.clear();
    return all;
  }
}

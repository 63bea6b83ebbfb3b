import type { RequestId } from '../schemas/jsonrpc.js';
import type { InboundRequest } from './inboundRequest.js';

/**
 * The peer's requests being handled, by id. Most of the time there is one at
 * most (and on a listen stream, one that stays for hours), so it sits in a
 * slot; a Map is made only while two or more overlap. A Map's hash table
 * costs ~250 bytes per idle connection (PROTOCOL.md §performance).
 */
export class InboundTable {
  #one: InboundRequest | undefined;
  #many: Map<RequestId, InboundRequest> | undefined;

  get size(): number {
    return this.#many ? this.#many.size : this.#one ? 1 : 0;
  }

  get(id: RequestId): InboundRequest | undefined {
    if (this.#many) return this.#many.get(id);
    return this.#one?.id === id ? this.#one : undefined;
  }

  /** Adds a request whose id is not in the table. */
  add(request: InboundRequest): void {
    if (this.#many) {
      this.#many.set(request.id, request);
    } else if (this.#one) {
      this.#many = new Map([
        [this.#one.id, this.#one],
        [request.id, request],
      ]);
      this.#one = undefined;
    } else {
      this.#one = request;
    }
  }

  delete(id: RequestId): boolean {
    if (!this.#many) {
      if (this.#one?.id !== id) return false;
      this.#one = undefined;
      return true;
    }
    const deleted = this.#many.delete(id);
    if (this.#many.size === 1) {
      this.#one = this.#many.values().next().value;
      this.#many = undefined;
    }
    return deleted;
  }

  /** Empties the table, returning what it held. */
  drain(): InboundRequest[] {
    const all = this.#many ? [...this.#many.values()] : this.#one ? [this.#one] : [];
    this.#one = undefined;
    this.#many = undefined;
    return all;
  }
}

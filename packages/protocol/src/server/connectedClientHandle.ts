import type { SharedSessionSync } from '../session/sharedSession.js';
import type { ConnectedClient } from './serverApi.js';
import type { ServerConnection } from './serverConnection.js';

/** A class, so its getter lives on the prototype and each handle stays small (one per connection). */
export class ConnectedClientHandle implements ConnectedClient {
  readonly #connection: ServerConnection;
  constructor(connection: ServerConnection) {
    this.#connection = connection;
  }
  get sessionId(): string {
    return this.#connection.sessionId;
  }
  syncShared(update: SharedSessionSync): void {
    this.#connection.sync(update);
  }
  close(reason?: string): Promise<void> {
    return this.#connection.close(reason);
  }
}

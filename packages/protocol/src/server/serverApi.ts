import type { SharedSessionSync } from '../session/sharedSession.js';
import type { z } from 'zod';
import type { NotificationTarget, ParamsInput } from '../defineNotification.js';
import type { Implementation, Root, ServerCapabilities } from '../schemas/primitives.js';
import type { Transport } from '../transport.js';
import type {
  BroadcastOptions,
  ConnectOptions,
  PromptDefinition,
  PromptHandler,
  Registration,
  RequestContext,
  ResourceDefinition,
  ResourceReader,
  ResourceTemplateDefinition,
  SessionInfo,
  ToolDefinition,
  ToolHandler,
} from './types.js';

/** A connection handed to a server, as its owner (an adapter) sees it. */
export interface ConnectedClient {
  /** Legacy session id (minted on first use; HTTP adapters pass their own through the transport). */
  readonly sessionId: string;
  /** Closes this connection; its session and listen subscriptions end. */
  close(reason?: string): Promise<void>;
  /**
   * A legacy session shared by the cluster (its transport sets `shared`):
   * takes the state another node stored, and with `home`, makes this node
   * the session's home (its recipient of server-initiated notifications) or
   * not (PROTOCOL.md §shared-sessions).
   */
  syncShared(update: SharedSessionSync): void;
}

/** A Tidings MCP server: one API for both eras and every transport. */
export interface Server {
  /** The name and version the server announces. */
  readonly info: Implementation;
  /** Serves one client connection. Adapters call this once per connection (or per modern HTTP request). */
  connect(transport: Transport, options?: ConnectOptions): ConnectedClient;
  /**
   * Registers a tool; replacing or removing it emits tools/list_changed.
   * Throws a TypeError when the input schema's `x-mcp-header` annotations
   * break the spec's constraints (HTTP clients would have to drop the tool).
   */
  tool<S extends z.ZodType | undefined = undefined>(definition: ToolDefinition<S>, handler: ToolHandler<S>): Registration;
  /** Removes a tool by name; returns whether it existed. */
  removeTool(name: string): boolean;
  /** Registers a static resource. */
  resource(definition: ResourceDefinition, read: ResourceReader): Registration;
  /** Registers a resource template (`file:///{path}`). */
  resourceTemplate(definition: ResourceTemplateDefinition, read: ResourceReader): Registration;
  /** Registers a prompt. */
  prompt(definition: PromptDefinition, handler: PromptHandler): Registration;
  /** Answers any other method (completion/complete, custom methods); params are validated by `schema`. */
  setRequestHandler<S extends z.ZodType>(
    method: string,
    schema: S,
    handler: (params: z.output<S>, ctx: RequestContext) => unknown,
  ): void;
  /** The capabilities declared to clients right now. */
  capabilities(): ServerCapabilities;
  /**
   * The JSON Schema a registered tool publishes for its arguments, or
   * undefined. HTTP adapters use it to check `Mcp-Param-*` headers against
   * `x-mcp-header` annotations (2026-07-28 streamable-http §custom headers).
   */
  toolInputSchema(name: string): Record<string, unknown> | undefined;
  /** Every live recipient of this node: legacy sessions and modern listen subscriptions. */
  sessions(): SessionInfo[];
  /**
   * Every live recipient of the cluster: this node's and those the other
   * nodes list when asked (a node silent for `countTimeoutMs` is left out,
   * and reported). Without a cluster, this node's.
   */
  clusterSessions(): Promise<SessionInfo[]>;
  /**
   * Sends to one recipient. Resolves false when the id is unknown or closed, or
   * when the recipient may not get this notification (its era, filter,
   * subscriptions or log level) — never a silent loss.
   */
  notify<T extends NotificationTarget>(sessionId: string, target: T, params?: ParamsInput<T>): Promise<boolean>;
  /** This node's seat in its cluster (`options.cluster`); undefined for a server on its own. */
  readonly cluster: ClusterSeat | undefined;
  /**
   * Sends to every recipient entitled to it, serialised once; resolves to the
   * number reached. In a cluster it reaches every node's recipients and
   * counts them all; a `filter` picks among this node's recipients only
   * (a function cannot cross to other nodes). Never rejects.
   */
  broadcast<T extends NotificationTarget>(target: T, params?: ParamsInput<T>, options?: BroadcastOptions): Promise<number>;
  /** `notifications/resources/updated` to the subscribers of `uri` only. */
  resourceUpdated(uri: string): Promise<number>;
  /** list_changed to everyone entitled, merged within `listChangedDebounceMs`. */
  sendToolListChanged(): Promise<number>;
  /** resources/list_changed to everyone entitled, merged within `listChangedDebounceMs`. */
  sendResourceListChanged(): Promise<number>;
  /** prompts/list_changed to everyone entitled, merged within `listChangedDebounceMs`. */
  sendPromptListChanged(): Promise<number>;
  /** Called with a legacy client's new roots after it sends roots/list_changed. Returns the unsubscribe function. */
  onRootsChanged(listener: (roots: Root[], session: SessionInfo) => void): () => void;
  /** Asks a legacy session's client for its roots; undefined for an unknown or modern id. */
  listRoots(sessionId: string): Promise<Root[] | undefined>;
  /** Called when a recipient appears (a legacy session initialized, a listen subscription acknowledged). Returns the unsubscribe function. */
  onSessionOpened(listener: (session: SessionInfo) => void): () => void;
  /** Called when a recipient goes away. Returns the unsubscribe function. */
  onSessionClosed(listener: (session: SessionInfo) => void): () => void;
  /** Ends listen subscriptions gracefully, then closes every connection. */
  close(): Promise<void>;
}

/** A server's membership of a cluster of nodes (PROTOCOL.md §cluster). */
export interface ClusterSeat {
  /** This node's id on the bus. */
  readonly nodeId: string;
  /** Settles once this node receives what the other nodes publish (the bus is retried until then). */
  readonly joined: Promise<void>;
  /**
   * From now on this node publishes its broadcasts and notifies through the
   * bus's log (when the bus has one), so a node taking over a shared legacy
   * session whose home died delivers what it missed (PROTOCOL.md
   * §shared-sessions). The Streamable HTTP handler calls it when given a
   * `sessionStore`; a cluster without shared sessions pays nothing for it.
   */
  keepLog(): void;
}

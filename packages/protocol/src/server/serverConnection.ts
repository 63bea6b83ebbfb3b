import type { Era } from '../constants.js';
import { createEngine, type Engine, type EngineHandler } from '../engine/createEngine.js';
import type { InboundRequestContext } from '../engine/inboundRequest.js';
import { classifyRequest, MODERN_ONLY_METHODS } from '../era/classifyRequest.js';
import { decorateModernResult, readModernEnvelope, type ModernEnvelope } from '../era/modernEnvelope.js';
import { negotiateLegacyVersion } from '../era/versions.js';
import { ProtocolError, type TransportError } from '../errors.js';
import type { JSONRPCNotification, JSONRPCRequest } from '../schemas/jsonrpc.js';
import type { Root } from '../schemas/primitives.js';
import { beginInitialize, closeSession, completeInitialize, NEW_SESSION, type LegacySessionData, type LegacySessionState } from '../session/legacySession.js';
import { nodeOfRequestId, sharedRequestId, type SharedSessionSync } from '../session/sharedSession.js';
import type { CatchUp } from './catchUp.js';
import type { Transport } from '../transport.js';
import { INPUT_METHODS, InputRound } from './inputRound.js';
import { legacyAccepts, type Outbound, type Recipient } from './recipients.js';
import { legacyTaskRequest } from './legacyTasks.js';
import { createRequestContext } from './requestContext.js';
import { applySharedState, discoverResult, initializeExchange, listRootsOf, sessionInfoOf, sharedStateOf } from './connectionState.js';
import type { ServerCore } from './serverCore.js';
import type { ConnectOptions, SessionInfo } from './types.js';

/** Server-initiated sends never wait for one peer's drain (PROTOCOL.md §slow-consumers). */
const QUEUED = { queued: true } as const;

/**
 * One client connection of a server: its engine, the era it is pinned to, and
 * for legacy clients the session (PROTOCOL.md §eras, §sessions). Modern
 * requests are stateless; their listen subscriptions register themselves as
 * recipients.
 */
export class ServerConnection implements EngineHandler, Recipient {
  readonly engine: Engine;
  readonly createdAt: number;
  lastSeenAt: number;
  /** Pinned by the first request that is not `server/discover`. */
  era: Era | undefined;
  state: LegacySessionState = NEW_SESSION;
  #data: LegacySessionData | undefined;
  readonly #core: ServerCore;
  // Kept apart from the engine: a transport may deliver a message inside start(), before `engine` is assigned.
  readonly #transport: Transport;
  /** Whether the legacy session is ready and registered as a recipient. */
  #isRecipient = false;
  /** Whether this node delivers the session's server-initiated notifications: false for another node's shared session. */
  #home = true;
  /** Handling a message another node relayed: what this node cannot handle is not relayed again. */
  #relaying = false;
  /** Set while this node, the session's new home, delivers what the cluster log kept for it. */
  #catchUp: CatchUp | undefined;
  #sessionId: string | undefined;

  constructor(core: ServerCore, transport: Transport, options: ConnectOptions = {}) {
    this.#core = core;
    this.#transport = transport;
    if (options.statelessLegacy) {
      this.era = 'legacy';
      this.state = {
        kind: 'ready',
        protocolVersion: negotiateLegacyVersion(options.statelessLegacy.protocolVersion ?? '2025-03-26'),
        clientInfo: undefined,
        clientCapabilities: {},
      };
    }
    this.createdAt = this.lastSeenAt = core.clock.now();
    const shared = transport.shared ? core.shared : undefined;
    let next = 1;
    // The connection is its engine's handler (and, once ready, its own recipient): one object per
    // idle session instead of a dozen closures (PROTOCOL.md §performance).
    this.engine = createEngine({
      transport,
      clock: core.clock,
      onDiagnostic: core.report,
      exposeInternalErrors: core.options.exposeInternalErrors,
      handler: this,
      // The response to a shared session's request may reach any node: its id names the node that waits.
      generateId: shared && (() => sharedRequestId(shared.nodeId, next++)),
    });
    if (shared && !this.engine.closed) shared.hold(this);
    if (options.shared) {
      this.era = 'legacy';
      this.#home = options.shared.home;
      this.sync({ state: options.shared.state });
    }
  }

  /**
   * Brings a shared legacy session up to date with its state as another node
   * left it, and with `home`, makes this node its home or not.
   */
  sync(update: SharedSessionSync): void {
    applySharedState(this, update.state);
    if (update.home === true && !this.#home && update.after !== undefined) {
      // Set before it becomes a recipient: what arrives live waits behind what the log kept for it.
      this.#catchUp = this.#core.shared.catchUp(this, update.after, () => (this.#catchUp = undefined));
    }
    if (update.home !== undefined) this.#home = update.home;
    this.#updateRecipient();
  }

  /** A ready session is a recipient on its home node only (PROTOCOL.md §shared-sessions). */
  #updateRecipient(): void {
    const recipient = this.#home && this.state.kind === 'ready';
    if (recipient === this.#isRecipient || this.engine.closed) return;
    this.#isRecipient = recipient;
    if (recipient) this.#core.addRecipient(this);
    else this.#core.removeRecipient(this);
  }

  /** The session's state changed: kept for every node before the request that changed it is answered. */
  shareChange(): Promise<void> {
    const link = this.#transport.shared;
    return link ? this.#core.shared.changed(this.sessionId, link, sharedStateOf(this)) : Promise.resolve();
  }

  /** A message another node relayed: handled here, never relayed again. */
  receiveRelayed(message: unknown): void {
    this.#relaying = true;
    try {
      this.#transport.shared?.deliver(message);
    } finally {
      this.#relaying = false;
    }
  }

  /** Engine: a response or cancellation this node cannot handle goes to the node that can (a shared session only). */
  stray(message: Record<string, unknown>): boolean {
    if (!this.#transport.shared || this.#relaying) return false;
    if (message.method !== undefined) {
      this.#core.shared.relay(this.sessionId, message);
      return true;
    }
    const node = nodeOfRequestId(message.id);
    if (node === undefined || node === this.#core.shared.nodeId) return false;
    this.#core.shared.relay(this.sessionId, message, node);
    return true;
  }

  /** Log level, resource subscriptions and roots of a legacy session; made on first use (modern connections never need it). */
  get data(): LegacySessionData {
    return (this.#data ??= { logLevel: undefined, subscriptions: undefined, roots: undefined });
  }

  /** The legacy session id, as a recipient. */
  get id(): string {
    return this.sessionId;
  }

  /** Legacy session id: the transport's (HTTP) or one minted on first use. */
  get sessionId(): string {
    return (this.#sessionId ??= this.#transport.sessionId ?? this.#core.newSessionId());
  }

  /** Wire name for `sessions()`. */
  get transportKind(): string {
    return this.#transport.kind ?? 'custom';
  }

  info(): SessionInfo {
    return this.sessionInfo();
  }

  accepts(method: string, params: Record<string, unknown> | undefined): boolean {
    return legacyAccepts(this.data, method, params);
  }

  get shared(): boolean {
    return this.#transport.shared !== undefined;
  }

  deliver(outbound: Outbound, entry?: string): Promise<void> {
    return this.#catchUp ? this.#catchUp.deliver(outbound, entry) : this.write(outbound, entry);
  }

  /** Writes a server-initiated notification, with the bus log's entry it came from. */
  write(outbound: Outbound, entry: string | undefined): Promise<void> {
    return this.engine.sendSerialized(outbound.json, entry === undefined ? QUEUED : { queued: true, entry });
  }

  /** Engine: the result of a request, as it goes out; modern results carry `resultType` and `serverInfo`. */
  shapeResult(result: unknown): unknown {
    return this.era === 'modern' ? decorateModernResult(result, this.#core.info) : result;
  }

  /** Engine: a transport fault that did not close the connection. */
  onError(error: TransportError): void {
    this.#core.options.onError?.(error, this.sessionId);
  }

  /** Engine: the connection closed; its session and subscriptions end. */
  onClose(): void {
    this.state = closeSession(this.state);
    if (this.#transport.shared) this.#core.shared.release(this);
    if (this.#isRecipient) this.#core.removeRecipient(this);
    this.#isRecipient = false;
    this.#core.connectionClosed(this);
  }

  /** Snapshot of the legacy session. */
  sessionInfo(): SessionInfo {
    return sessionInfoOf(this);
  }

  /** Asks the legacy client for its roots (outside any request). */
  listRoots(relatedRequestId?: string | number): Promise<Root[]> {
    return listRootsOf(this, relatedRequestId);
  }

  /** Closes the connection; its session and subscriptions end. */
  close(reason?: string): Promise<void> {
    return this.engine.close(reason);
  }

  /**
   * Engine handler: one request from the client. Not an async function: a
   * pending request (a listen stream) would keep a suspended frame, with its
   * parsed message, alive for as long as it stays open.
   */
  request(message: JSONRPCRequest, inbound: InboundRequestContext): unknown {
    this.lastSeenAt = this.#core.clock.now();
    const { method } = message;
    const params = message.params as Record<string, unknown> | undefined;
    const kind = classifyRequest(method, params);
    const eras = this.#transport.eras;
    if (eras && !eras.includes(kind === 'neutral' ? 'modern' : kind)) {
      throw new ProtocolError('MethodNotFound', `Method not found: ${method} (this ${this.transportKind} connection carries only the ${eras.join(' and ')} era)`);
    }
    if (kind === 'neutral') return decorateModernResult(discoverResult(this.#core), this.#core.info);
    this.era ??= kind;
    if (this.era === 'modern') {
      // The engine passes the result through `shapeResult`, which adds the modern fields.
      return this.#dispatch(method, params, inbound, readModernEnvelope(method, params));
    }
    if (method === 'initialize') return this.#initialize(params);
    if (method === 'ping') return {};
    if (this.state.kind === 'new') {
      throw new ProtocolError('InvalidRequest', `Server not initialized: send initialize before ${method}`);
    }
    if (MODERN_ONLY_METHODS.has(method)) throw new ProtocolError('MethodNotFound', `Method not found: ${method}`);
    return this.#dispatch(method, params, inbound, undefined);
  }

  #dispatch(
    method: string,
    params: Record<string, unknown> | undefined,
    inbound: InboundRequestContext,
    envelope: ModernEnvelope | undefined,
  ): unknown {
    const handler = this.#core.method(method);
    if (!handler) throw new ProtocolError('MethodNotFound', `Method not found: ${method}`);
    const taskSupport = method === 'tools/call' ? this.#core.toolTaskSupport(params?.name) : undefined;
    if (envelope && INPUT_METHODS.has(method)) {
      const round = new InputRound(this.#core, method, params);
      const call = { connection: this, inbound, envelope, round, taskSupport };
      return round.settle(handler(params, createRequestContext(this.#core, call), call));
    }
    const legacyTask = taskSupport === undefined || envelope ? undefined : legacyTaskRequest(this.#core, this, params);
    const call = { connection: this, inbound, envelope, taskSupport, legacyTask };
    return handler(params, createRequestContext(this.#core, call), call);
  }

  #initialize(params: Record<string, unknown> | undefined): unknown {
    const { handshake, result } = initializeExchange(this.#core, params);
    this.state = beginInitialize(this.state, handshake);
    // A shared session exists for the other nodes before its client learns its id.
    return this.#transport.shared ? this.shareChange().then(() => result) : result;
  }

  /** Engine handler: one notification from the client, in arrival order. */
  notification(message: JSONRPCNotification): void {
    this.lastSeenAt = this.#core.clock.now();
    if (message.method === 'notifications/initialized') {
      if (this.state.kind !== 'initializing') {
        this.#core.report({
          kind: 'notification-invalid',
          method: message.method,
          error: new ProtocolError('InvalidRequest', `initialized arrived while the session is ${this.state.kind}`),
        });
        return;
      }
      this.state = completeInitialize(this.state);
      if (this.#transport.shared) {
        this.shareChange().catch((error: unknown) => this.#core.report({ kind: 'cluster-error', step: 'share initialized', error }));
      }
      this.#updateRecipient();
      return;
    }
    if (message.method === 'notifications/roots/list_changed' && this.state.kind === 'ready') {
      // The session's home asks for the roots, on the GET stream only it writes; other nodes pass the news on.
      if (!this.#home) {
        if (!this.#relaying) this.#core.shared.relay(this.sessionId, message);
        return;
      }
      this.listRoots().then(
        (roots) => this.#core.rootsChanged(roots, this.sessionInfo()),
        (error: unknown) => this.#core.report({ kind: 'callback-error', where: 'roots/list', error }),
      );
    }
  }
}

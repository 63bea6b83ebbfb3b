import { systemClock } from '../clock.js';
import { ClusterLink } from '../cluster/clusterLink.js';
import { methodOf, type NotificationTarget } from '../defineNotification.js';
import { defaultDiagnosticHandler } from '../diagnostics.js';
import { ProtocolError } from '../errors.js';
import type { Implementation, Root, ServerCapabilities } from '../schemas/primitives.js';
import { parseParams } from '../validate.js';
import { TaskRuntime } from '../tasks/taskRuntime.js';
import { builtinMethods } from './builtinMethods.js';
import { ConnectedClientHandle } from './connectedClientHandle.js';
import { Catalog } from './catalog.js';
import { ListChangedCoalescer, type ListKind } from './listChangedCoalescer.js';
import { deliverTo, fanOut, prepareOutbound, type Recipient } from './recipients.js';
import { RequestStateSealer } from './requestState.js';
import type { MethodHandler, ServerCore } from './serverCore.js';
import { ServerConnection } from './serverConnection.js';
import { SharedSessions } from './sharedSessions.js';
import { withTasksExtension } from './taskMethods.js';
import { taskPublisher } from './legacyTasks.js';
import type { Server } from './serverApi.js';

export type { ConnectedClient, Server } from './serverApi.js';
import type { BroadcastOptions, ServerOptions, SessionInfo } from './types.js';

const LIST_METHODS: Readonly<Record<ListKind, string>> = {
  tools: 'notifications/tools/list_changed',
  resources: 'notifications/resources/list_changed',
  prompts: 'notifications/prompts/list_changed',
};

/** Creates a server. Register tools, resources and prompts, then `connect` transports (or hand it to an adapter). */
export function createServer(info: Implementation, options: ServerOptions = {}): Server {
  const clock = options.clock ?? systemClock;
  const report = options.onDiagnostic ?? defaultDiagnosticHandler;
  const recipients = new Map<string, Recipient>();
  const connections = new Set<ServerConnection>();
  const opened = new Set<(session: SessionInfo) => void>();
  const closedListeners = new Set<(session: SessionInfo) => void>();
  const rootsListeners = new Set<(roots: Root[], session: SessionInfo) => void>();
  const custom = new Map<string, MethodHandler>();
  const coalescer = new ListChangedCoalescer(clock, options.listChangedDebounceMs ?? 10, (kind) =>
    broadcast(LIST_METHODS[kind]),
  );
  // A change nobody can hear needs no notification: a later recipient reads the fresh list anyway.
  // In a cluster the other nodes' recipients may hear it, once this node has joined: what a node
  // registers while it starts is what every node serves, no change to announce.
  let joined = false;
  const catalog = new Catalog((kind) => {
    if (recipients.size > 0 || joined) void coalescer.changed(kind);
  });
  const generateSessionId = options.generateSessionId ?? (() => globalThis.crypto.randomUUID());

  const emit = <A extends unknown[]>(listeners: Set<(...args: A) => void>, where: string, ...args: A): void => {
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (error) {
        report({ kind: 'callback-error', where, error });
      }
    }
  };

  const capabilities = (): ServerCapabilities => {
    const declared = options.capabilities ?? {};
    const derived: ServerCapabilities = { ...declared, logging: declared.logging ?? {} };
    if (!declared.tools && catalog.tools.size > 0) derived.tools = { listChanged: true };
    if (!declared.resources && catalog.resources.size + catalog.templates.size > 0) {
      derived.resources = { listChanged: true, subscribe: true };
    }
    if (!declared.prompts && catalog.prompts.size > 0) derived.prompts = { listChanged: true };
    if (!declared.completions && custom.has('completion/complete')) derived.completions = {};
    return withTasksExtension(derived, catalog.anyTaskTool());
  };

  /** Whether the server's own capabilities allow sending this method at all. */
  const capabilityAllows = (method: string): boolean => {
    const caps = capabilities();
    switch (method) {
      case LIST_METHODS.tools:
        return caps.tools?.listChanged === true;
      case LIST_METHODS.resources:
        return caps.resources?.listChanged === true;
      case LIST_METHODS.prompts:
        return caps.prompts?.listChanged === true;
      case 'notifications/resources/updated':
        return caps.resources?.subscribe === true;
      case 'notifications/message':
        return caps.logging !== undefined;
      default:
        return true;
    }
  };

  const requireCapability = (method: string): void => {
    if (!capabilityAllows(method)) {
      throw new ProtocolError('CapabilityNotSupported', `The server's capabilities do not allow ${method}`);
    }
  };

  async function broadcast(target: NotificationTarget, params?: unknown, broadcastOptions: BroadcastOptions = {}): Promise<number> {
    const method = methodOf(target);
    const body = params as Record<string, unknown> | undefined;
    if (!capabilityAllows(method)) return 0;
    const { filter } = broadcastOptions;
    // Through a bus with a log, this node's shared sessions get it when it comes back, in log order.
    const chosen = filter ? (recipient: Recipient) => safeFilter(filter, recipient) : cluster?.keepsLog ? notShared : undefined;
    const here = fanOut(recipients.values(), prepareOutbound(method, body), report, chosen);
    if (!cluster || filter) return here;
    const [local, remote] = await Promise.all([here, cluster.broadcast(method, body)]);
    return local + remote;
  }

  const localSessions = (): SessionInfo[] => [...recipients.values()].map((r) => r.info());

  /** Delivers to a recipient of this node; false when it is not here or may not get it. */
  const notifyHere = (sessionId: string, method: string, body: Record<string, unknown> | undefined, entry?: string): Promise<boolean> => {
    const recipient = recipients.get(sessionId);
    if (!recipient || !recipient.accepts(method, body)) return Promise.resolve(false);
    return deliverTo(recipient, prepareOutbound(method, body), report, entry);
  };
  const notShared = (recipient: Recipient): boolean => recipient.shared !== true;
  const isShared = (recipient: Recipient): boolean => recipient.shared === true;

  // What other nodes publish reaches this node's recipients as if sent here, and is never published again.
  const cluster: ClusterLink | undefined = options.cluster
    ? new ClusterLink(
        options.cluster,
        {
          broadcast: (method, body, entry, sharedOnly) =>
            capabilityAllows(method) ? fanOut(recipients.values(), prepareOutbound(method, body), report, sharedOnly ? isShared : undefined, entry) : Promise.resolve(0),
          notify: (sessionId, method, body, entry) => (capabilityAllows(method) ? notifyHere(sessionId, method, body, entry) : Promise.resolve(false)),
          sessions: () => localSessions(),
          async task(kind, taskId, inputResponses) {
            const live = core.tasks.running(taskId);
            if (!live) return false;
            await (kind === 'cancel' ? live.cancel() : live.answer(inputResponses ?? {}));
            return true;
          },
          sessionState: (sessionId, state): boolean => shared.sessionState(sessionId, state),
          relayed: (sessionId, message): boolean => shared.relayed(sessionId, message),
        },
        clock,
        report,
      )
    : undefined;
  void cluster?.joined.then(() => (joined = true));
  const shared: SharedSessions = new SharedSessions(cluster?.nodeId ?? globalThis.crypto.randomUUID(), cluster, report, capabilityAllows);

  const safeFilter = (filter: (session: SessionInfo) => boolean, recipient: Recipient): boolean => {
    try {
      return filter(recipient.info());
    } catch (error) {
      report({ kind: 'callback-error', where: 'broadcast filter', error });
      return false;
    }
  };

  const listChanged = async (kind: ListKind): Promise<number> => {
    requireCapability(LIST_METHODS[kind]);
    return coalescer.changed(kind);
  };

  const core: ServerCore = {
    info,
    options,
    clock,
    report,
    capabilities,
    method: (name) => custom.get(name) ?? builtins.get(name),
    newSessionId: generateSessionId,
    requestState: new RequestStateSealer(options.requestStateSecret),
    addRecipient(recipient) {
      recipients.set(recipient.id, recipient);
      emit(opened, 'onSessionOpened', recipient.info());
    },
    removeRecipient(recipient) {
      if (recipients.get(recipient.id) !== recipient) return;
      recipients.delete(recipient.id);
      emit(closedListeners, 'onSessionClosed', recipient.info());
    },
    connectionClosed: (connection) => void connections.delete(connection),
    rootsChanged: (roots, session) => emit(rootsListeners, 'onRootsChanged', roots, session),
    listChanged,
    // Task changes go to the listen subscriptions that name the task (ext-tasks §Task Status Notifications).
    tasks: new TaskRuntime(options.tasks ?? {}, {
      clock,
      report,
      exposeInternalErrors: options.exposeInternalErrors ?? false,
      publish: taskPublisher(recipients, broadcast, report),
      forward: (kind, taskId, inputResponses) => cluster?.task(kind, taskId, inputResponses) ?? Promise.resolve(false),
    }),
    shared,
    toolTaskSupport: (name) => (typeof name === 'string' ? catalog.tools.get(name)?.taskSupport : undefined) ?? 'forbidden',
  };
  const builtins = builtinMethods(core, catalog);

  const subscribe = <T>(listeners: Set<T>, listener: T): (() => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  // A ready legacy session is its own recipient, so the recipient table finds it without a scan.
  const findConnection = (sessionId: string): ServerConnection | undefined => {
    const recipient = recipients.get(sessionId);
    return recipient instanceof ServerConnection ? recipient : undefined;
  };

  return {
    info,
    connect(transport, connectOptions) {
      const connection = new ServerConnection(core, transport, connectOptions);
      if (!connection.engine.closed) connections.add(connection);
      return new ConnectedClientHandle(connection);
    },
    tool: (definition, handler) => ({ remove: catalog.addTool(definition, handler) }),
    removeTool: (name) => catalog.tools.delete(name),
    resource: (definition, read) => ({ remove: catalog.resources.set(definition.uri, { listing: definition, read }) }),
    resourceTemplate: (definition, read) => ({ remove: catalog.addTemplate(definition, read) }),
    prompt: (definition, handler) => ({ remove: catalog.prompts.set(definition.name, { listing: definition, handler }) }),
    setRequestHandler(method, schema, handler) {
      custom.set(method, (params, ctx) => handler(parseParams(schema, params), ctx));
    },
    capabilities,
    toolInputSchema: (name) => catalog.tools.get(name)?.listing.inputSchema as Record<string, unknown> | undefined,
    sessions: () => localSessions(),
    clusterSessions: async () => [...localSessions(), ...((await cluster?.sessions()) ?? [])],
    async notify(sessionId, target, params) {
      const method = methodOf(target);
      const body = params as Record<string, unknown> | undefined;
      if (!capabilityAllows(method)) return false;
      const held = recipients.get(sessionId);
      // A shared session here gets it back from the bus's log too: one order for all it is sent.
      if (!cluster || (held && !(held.shared === true && cluster.keepsLog))) return notifyHere(sessionId, method, body);
      return cluster.notify(sessionId, method, body);
    },
    cluster: cluster && { nodeId: cluster.nodeId, joined: cluster.joined, keepLog: () => cluster.keepLog() },
    broadcast: (target, params, broadcastOptions) => broadcast(target, params, broadcastOptions).catch(() => 0),
    async resourceUpdated(uri) {
      requireCapability('notifications/resources/updated');
      return broadcast('notifications/resources/updated', { uri });
    },
    sendToolListChanged: () => listChanged('tools'),
    sendResourceListChanged: () => listChanged('resources'),
    sendPromptListChanged: () => listChanged('prompts'),
    onRootsChanged: (listener) => subscribe(rootsListeners, listener),
    async listRoots(sessionId) {
      const connection = findConnection(sessionId);
      return connection ? connection.listRoots() : undefined;
    },
    onSessionOpened: (listener) => subscribe(opened, listener),
    onSessionClosed: (listener) => subscribe(closedListeners, listener),
    async close() {
      coalescer.close();
      await cluster?.close();
      await core.tasks.close();
      await Promise.allSettled([...recipients.values()].map((recipient) => recipient.shutdown?.()));
      await Promise.allSettled([...connections].map((c) => c.close('server shutting down')));
    },
  };
}

import { createServer, type Server, type ServerOptions } from '@tidings/protocol';
import { registerChaosTools } from './chaosTools.js';
import { registerClientRequestTools } from './clientRequestTools.js';
import { registerDynamicTools } from './dynamicTools.js';
import { registerLongRunningTask } from './longRunningTask.js';
import { registerNotifyTools } from './notifyTools.js';
import { registerRefereeClientRequestTools } from './refereeClientRequestTools.js';
import { registerRefereeContentTools } from './refereeContentTools.js';
import { registerRefereeInputTools } from './refereeInputTools.js';
import { registerRefereeStreamTools, type CloseSseStream } from './refereeStreamTools.js';
import { registerRefereeTaskTools } from './refereeTaskTools.js';
import { registerReferenceCompletion } from './referenceCompletion.js';
import { registerReferencePrompts } from './referencePrompts.js';
import { registerReferenceResources } from './referenceResources.js';
import { registerScenarioTools, type ScenarioObservations } from '../scenarioTools.js';

/** Name and version the reference server announces. */
export const REFERENCE_SERVER_INFO = { name: 'tidings-reference-server', version: '1.0.0' } as const;

/** Options of {@link createReferenceServer}. */
export interface ReferenceServerOptions {
  /** Passed to the core's `createServer` (clock, debounce window, diagnostics…). @default {} */
  readonly server?: ServerOptions;
  /**
   * Lets `test_reconnection` close its own SSE stream mid-call. The
   * Streamable HTTP adapter has it (`handler.closeSseStream`); the CLI wires
   * it in. Without it the tool answers on the stream it was called on.
   */
  readonly closeSseStream?: CloseSseStream;
  /** Where the scenario tools note what they observed (the nodes of a cluster share one). @default the server's own */
  readonly observations?: ScenarioObservations;
}

/**
 * The Tidings reference server (DESIGN §4): every tool, resource, template,
 * prompt and completion the official referee `@modelcontextprotocol/conformance`
 * (0.1.16 and 0.2.0-alpha.12) calls, the tasks fixtures of its `tasks-*`
 * scenarios (`slow_compute`, `confirm_delete`, …), plus our own tools — `long_running_task`,
 * `add_tool` / `remove_tool`, `touch_resource`, `broadcast`,
 * `notify_session`, `list_sessions`, `list_roots`, `slow_sampling`, `echo`.
 * Returns an unconnected server: hand it to any adapter, or `connect` a
 * transport (the memory pair in tests). Its capabilities are derived by the
 * core: tools, resources (subscribe), prompts, all with `listChanged`,
 * logging and completions.
 */
export function createReferenceServer(options: ReferenceServerOptions = {}): Server {
  const server = createServer(REFERENCE_SERVER_INFO, {
    instructions: 'The Tidings reference server: the conformance referee fixtures plus notification drivers.',
    ...options.server,
  });
  registerRefereeContentTools(server);
  registerRefereeStreamTools(server, options.closeSseStream);
  registerRefereeClientRequestTools(server);
  registerRefereeInputTools(server);
  registerRefereeTaskTools(server);
  registerLongRunningTask(server);
  registerDynamicTools(server);
  registerNotifyTools(server);
  registerClientRequestTools(server);
  registerReferenceResources(server);
  registerReferencePrompts(server);
  registerReferenceCompletion(server);
  registerScenarioTools(server, options.observations);
  registerChaosTools(server);
  return server;
}

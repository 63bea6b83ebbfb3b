export { runConformance } from './runConformance.js';
export { scenarios } from './scenarios/index.js';
export { createHarness } from './harness.js';
export type { HarnessRun } from './harness.js';
export { registerScenarioTools, scenarioObservations } from './scenarioTools.js';
export type { ScenarioObservations } from './scenarioTools.js';
export { check, checkEqual, eventually, sleep, ConformanceFailure } from './assert.js';
export type {
  ConformanceOptions,
  ConnectContext,
  ConnectedClient,
  Harness,
  Scenario,
  SpecReference,
  TransportCapabilities,
} from './types.js';
export { createReferenceServer, REFERENCE_SERVER_INFO } from './reference/createReferenceServer.js';
export type { ReferenceServerOptions } from './reference/createReferenceServer.js';
export type { DriverOptions, ScenarioClient, ScenarioClientOptions } from './types.js';

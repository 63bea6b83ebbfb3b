import type { Era } from '@tidings/protocol';
import { afterEach, describe, it } from 'vitest';
import { writeExclusions, type Exclusion } from './exclusions.js';
import { createHarness, type HarnessRun } from './harness.js';
import { createReferenceServer } from './reference/createReferenceServer.js';
import { scenarios as allScenarios } from './scenarios/index.js';
import type { ConformanceOptions, Scenario, TransportCapabilities } from './types.js';

const ERAS: readonly Era[] = ['legacy', 'modern'];

const DEFAULT_CAPABILITIES: TransportCapabilities = {
  multipleClients: true,
  serverToClientRequests: true,
  rawText: true,
  customProgressToken: true,
  referenceServer: true,
  progressBeforeResponse: true,
  totalTimeoutWithoutProgress: true,
  specErrors: true,
  tidingsClient: true,
};

/** How a missing capability reads in the matrix. */
const LACKS: Readonly<Record<keyof TransportCapabilities, string>> = {
  multipleClients: 'each client gets its own server, so there are no other sessions',
  serverToClientRequests: 'the server cannot send requests to the client',
  rawText: 'raw text cannot be written on this client',
  customProgressToken: 'the client cannot choose its progress token',
  referenceServer: 'the server is not the Tidings reference server (no driver tools)',
  progressBeforeResponse: 'the client drops progress that arrives together with the response (typescript-sdk#2580)',
  totalTimeoutWithoutProgress: 'the client enforces maxTotalTimeout only when progress arrives (typescript-sdk#2695)',
  specErrors: 'the server does not answer protocol errors as the spec lists them',
  tidingsClient: 'the client under test is another implementation, without task handles',
};

/** Why a scenario cannot run on this transport in this era, or undefined when it can. */
function exclusionReason(scenario: Scenario, era: Era, options: ConformanceOptions, capabilities: TransportCapabilities): string | undefined {
  if (!scenario.eras.includes(era)) return `the scenario checks the ${scenario.eras.join(' and ')} era only`;
  if (!(options.eras ?? ERAS).includes(era)) return `the pairing does not carry the ${era} era`;
  const missing = (scenario.requires ?? []).filter((c) => !capabilities[c]);
  if (missing.length > 0) return missing.map((c) => LACKS[c]).join('; ');
  return undefined;
}

/**
 * Registers the whole suite as vitest tests for one transport, per era. A
 * scenario the transport cannot run is not registered: its reason is printed
 * and recorded for the matrix, never hidden behind `.skip`.
 *
 * @example
 * runConformance({
 *   name: 'my-transport',
 *   connect: async (server, { onCleanup }) => {
 *     const [client, serverSide] = createMyTransportPair();
 *     const connection = server.connect(serverSide);
 *     onCleanup(() => connection.close());
 *     return client;
 *   },
 * });
 */
export function runConformance(options: ConformanceOptions, scenarios: readonly Scenario[] = allScenarios): void {
  const capabilities: TransportCapabilities = { ...DEFAULT_CAPABILITIES, tidingsClient: options.connectClient === undefined, ...options.capabilities };
  const excluded: Exclusion[] = [];
  // Exclusions are settled before vitest collects the suites, so they are recorded even if no test runs.
  const plan = ERAS.map((era) => ({
    era,
    runnable: scenarios.filter((scenario) => {
      const reason = exclusionReason(scenario, era, options, capabilities);
      if (reason) excluded.push({ transport: options.name, era, scenario: scenario.id, reason });
      return reason === undefined;
    }),
  })).filter(({ runnable }) => runnable.length > 0);
  let run: HarnessRun | undefined;

  describe(options.name, () => {
    afterEach(async () => {
      await run?.dispose();
      run = undefined;
    });
    for (const { era, runnable } of plan) {
      describe(era, () => {
        for (const scenario of runnable) {
          it(`${scenario.id}: ${scenario.title}`, { timeout: options.timeoutMs ?? 15_000 }, async () => {
            const server = createReferenceServer({
              ...(options.serverOptions ? { server: options.serverOptions() } : {}),
              ...(options.observations ? { observations: options.observations() } : {}),
            });
            run = createHarness(options, era, server, capabilities);
            await scenario.run(run.harness);
          });
        }
      });
    }
  });

  writeExclusions(options.name, excluded);
  for (const e of excluded.filter((x) => !x.reason.startsWith('the scenario checks'))) {
    console.info(`[conformance] ${e.transport} / ${e.era} / ${e.scenario}: not applicable — ${e.reason}`);
  }
}

import { createClient, type Client, type Diagnostic, type Era, type Server, type Transport } from '@tidings/protocol';
import { check } from './assert.js';
import type { ConformanceOptions, ConnectedClient, Harness, ScenarioClient, TransportCapabilities } from './types.js';

/** A harness for one scenario run, and the function that releases everything it opened. */
export interface HarnessRun {
  readonly harness: Harness;
  dispose(): Promise<void>;
}

let clientCounter = 0;

/** Builds the harness of one scenario: clients of `era` over `options.connect` to `server`. */
export function createHarness(options: ConformanceOptions, era: Era, server: Server, capabilities: TransportCapabilities): HarnessRun {
  const cleanups: Array<() => void | Promise<void>> = [];
  const context = { onCleanup: (cleanup: () => void | Promise<void>) => void cleanups.push(cleanup) };

  const harness: Harness = {
    era,
    transportName: options.name,
    capabilities,
    async client(clientOptions = {}) {
      const name = `conformance-client-${++clientCounter}`;
      const diagnostics: Diagnostic[] = [];
      let client: ScenarioClient;
      let tidingsClient: Client | undefined;
      let transport: Transport | undefined;
      if (options.connectClient) {
        client = await options.connectClient(server, context, { ...clientOptions, era, name });
        cleanups.push(() => client.close());
      } else if (options.connect) {
        transport = await options.connect(server, context);
        const tidings = createClient({ name, version: '1.0.0' }, { ...clientOptions, era, onDiagnostic: (d) => diagnostics.push(d) });
        cleanups.push(() => tidings.close());
        await tidings.connect(transport);
        client = tidings;
        tidingsClient = tidings;
      } else {
        throw new Error(`runConformance(${options.name}): give connect or connectClient`);
      }
      check(client.era === era, `the client should have negotiated the ${era} era, got ${client.era}`);
      const connected: ConnectedClient = {
        name,
        client,
        tidings: tidingsClient,
        transport,
        diagnostics,
        async callText(name, args = {}) {
          const result = await client.callTool(name, args);
          const first = result.content[0];
          check(first?.type === 'text', `${name} should answer with text, got ${JSON.stringify(result.content)}`);
          check(!result.isError, `${name} failed: ${first.text}`);
          return first.text;
        },
      };
      return connected;
    },
  };

  return {
    harness,
    async dispose() {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch {
          // A cleanup that fails must not hide the scenario's own outcome.
        }
      }
      await server.close();
    },
  };
}

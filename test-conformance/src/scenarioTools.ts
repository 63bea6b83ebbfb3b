import type { Root, Server } from '@tidings/protocol';
import { z } from 'zod';

/**
 * What the scenario tools observed of a server. The nodes of a cluster stand
 * for one server: given one between them, a change heard on any node (the
 * roots of a session, on its home) is seen from every node.
 */
export interface ScenarioObservations {
  readonly probes: Map<string, 'running' | 'aborted' | 'completed'>;
  rootsSeen: { count: number; roots: Root[] };
}

/** Fresh observations: nothing seen yet. */
export const scenarioObservations = (): ScenarioObservations => ({ probes: new Map(), rootsSeen: { count: 0, roots: [] } });

/**
 * Tools through which scenarios observe and drive a server they may not share
 * a process with (a stdio child, another implementation): every check goes
 * over the wire, so the same scenario runs on every transport.
 */
export function registerScenarioTools(server: Server, observed: ScenarioObservations = scenarioObservations()): void {
  const { probes } = observed;
  let dynamic = 0;
  server.onRootsChanged((roots) => {
    observed.rootsSeen = { count: observed.rootsSeen.count + 1, roots };
  });

  server.tool(
    { name: 'change_tools', description: 'Adds `count` tools in one tick.', input: z.object({ count: z.number().int().min(1).max(1000) }) },
    ({ count }) => {
      for (let i = 0; i < count; i++) server.tool({ name: `dynamic_${++dynamic}`, description: 'A tool added by change_tools.' }, () => 'dynamic');
      return `added ${count}`;
    },
  );

  server.tool(
    { name: 'log_levels', description: 'Logs once at each level from debug to error.' },
    async (_args, ctx) => {
      for (const level of ['debug', 'info', 'notice', 'warning', 'error'] as const) await ctx.log(level, `at ${level}`);
      return 'logged';
    },
  );

  server.tool(
    {
      name: 'cancellation_probe',
      description: 'Waits `delay_ms` unless cancelled; `probe_result` tells which happened.',
      input: z.object({ probe_id: z.string(), delay_ms: z.number().int().min(0).max(60_000) }),
    },
    ({ probe_id, delay_ms }, ctx) =>
      new Promise<string>((resolve) => {
        probes.set(probe_id, 'running');
        const timer = setTimeout(() => {
          probes.set(probe_id, 'completed');
          resolve('completed');
        }, delay_ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          probes.set(probe_id, 'aborted');
          resolve('aborted');
        });
      }),
  );

  server.tool({ name: 'probe_result', description: 'What became of a cancellation_probe: running, aborted or completed.', input: z.object({ probe_id: z.string() }) }, ({ probe_id }) => probes.get(probe_id) ?? 'unknown');

  server.tool({ name: 'roots_changes', description: 'How often roots changed, and the last roots, as JSON.' }, () =>
    JSON.stringify(observed.rootsSeen),
  );

  server.tool({ name: 'client_roots', description: 'Asks the client for its roots.' }, async (_args, ctx) =>
    JSON.stringify(await ctx.listRoots()),
  );

  server.tool(
    {
      name: 'sample_with_heartbeat',
      description: 'Asks the client to sample, sending progress heartbeats while waiting.',
      input: z.object({ heartbeat_ms: z.number().int().min(1) }),
    },
    async ({ heartbeat_ms }, ctx) => {
      const result = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 }, { heartbeatMs: heartbeat_ms });
      const content = Array.isArray(result.content) ? result.content[0] : result.content;
      return content?.type === 'text' ? content.text : 'non-text';
    },
  );
}

import { ProtocolError, type Progress } from '@tidings/protocol';
import { check, checkEqual, eventually } from '../assert.js';
import type { Scenario } from '../types.js';

const both = ['legacy', 'modern'] as const;
const progressSpec = [
  { revision: '2025-11-25', section: 'basic/utilities/progress' },
  { revision: '2026-07-28', section: 'basic/patterns/progress' },
] as const;

export const progressScenarios: Scenario[] = [
  {
    id: 'progress-ordering',
    title: 'progress notifications arrive in order, strictly increasing, before the result',
    eras: both,
    requires: ['progressBeforeResponse'],
    spec: progressSpec,
    async run(h) {
      const { client } = await h.client();
      const seen: Progress[] = [];
      const result = await client.callTool('long_running_task', { task_name: 'test', steps: 5 }, { onProgress: (p) => seen.push(p) });
      checkEqual(result.content, [{ type: 'text', text: "Task 'test' completed" }], 'result');
      checkEqual(seen.map((p) => p.message), [1, 2, 3, 4, 5].map((i) => `Step ${i}/5`), 'progress messages');
      for (let i = 1; i < seen.length; i++) check(seen[i]!.progress > seen[i - 1]!.progress, 'progress strictly increases');
    },
  },
  {
    id: 'progress-token-echo',
    title: "the caller's progress token is echoed as given",
    eras: both,
    requires: ['customProgressToken', 'progressBeforeResponse'],
    spec: progressSpec,
    async run(h) {
      const { client } = await h.client();
      const tokens: unknown[] = [];
      client.on('notifications/progress', (p) => tokens.push(p.progressToken));
      let count = 0;
      await client.callTool('long_running_task', { task_name: 'echo', steps: 3 }, { progressToken: 'caller-token-1', onProgress: () => count++ });
      checkEqual(count, 3, 'progress callbacks');
      checkEqual(tokens, ['caller-token-1', 'caller-token-1', 'caller-token-1'], 'tokens on the wire');
    },
  },
  {
    id: 'progress-reset-timeout',
    title: 'each progress notification re-arms the request timeout',
    eras: both,
    spec: [...progressSpec, { revision: '2025-11-25', section: 'basic/lifecycle#timeouts' }],
    async run(h) {
      const { client } = await h.client();
      // 5 steps of 300 ms = 1.5 s in all, against a 1 s timeout re-armed by each step's progress:
      // only the re-arming lets it finish, and a busy machine's pauses have 700 ms of room.
      const result = await client.callTool('long_running_task', { task_name: 'slow', steps: 5, delay_ms: 300 }, { timeout: 1000 });
      check(!result.isError, 'the call completes');
    },
  },
  {
    id: 'progress-total-timeout',
    title: 'maxTotalTimeout ends a call even when no progress arrives, and the server is told',
    eras: both,
    requires: ['totalTimeoutWithoutProgress'],
    spec: [{ revision: '2025-11-25', section: 'basic/utilities/cancellation' }, { revision: '2026-07-28', section: 'basic/patterns/cancellation#timeouts' }],
    async run(h) {
      const { client, callText } = await h.client();
      const probe = `total-${Date.now()}`;
      let error: unknown;
      await client
        .callTool('cancellation_probe', { probe_id: probe, delay_ms: 5000 }, { timeout: 10_000, maxTotalTimeout: 300 })
        .catch((e: unknown) => (error = e));
      check(error instanceof ProtocolError && error.code === 'RequestTimeout', `expected RequestTimeout, got ${String(error)}`);
      await eventually(async () => checkEqual(await callText('probe_result', { probe_id: probe }), 'aborted', 'server-side outcome'));
    },
  },
];

import { META, ProtocolError, type Progress } from '@tidings/protocol';
import { check, checkEqual, eventually, sleep } from '../assert.js';
import { watchMarker } from '../marker.js';
import type { Scenario } from '../types.js';

export const sessionFeatureScenarios: Scenario[] = [
  {
    id: 'roots-list-and-changed',
    title: 'the server lists the client roots and hears about new ones',
    eras: ['legacy'],
    requires: ['serverToClientRequests', 'referenceServer'],
    spec: [{ revision: '2025-11-25', section: 'client/roots' }],
    async run(h) {
      const { client, callText } = await h.client({ roots: [{ uri: 'file:///start', name: 'start' }] });
      checkEqual(JSON.parse(await callText('client_roots')), [{ uri: 'file:///start', name: 'start' }], 'roots/list');
      await client.setRoots([{ uri: 'file:///project', name: 'project' }]);
      await eventually(async () =>
        checkEqual(JSON.parse(await callText('roots_changes')), { count: 1, roots: [{ uri: 'file:///project', name: 'project' }] }, 'roots seen'),
      );
    },
  },
  {
    id: 'sampling-heartbeat',
    title: 'progress heartbeats keep a tool call alive while the client samples',
    eras: ['legacy'],
    requires: ['serverToClientRequests', 'referenceServer'],
    spec: [{ revision: '2025-11-25', section: 'client/sampling' }, { revision: '2025-11-25', section: 'basic/utilities/progress' }],
    async run(h) {
      const { client } = await h.client({
        // Sampling outlasts the call's timeout by half again, so only the heartbeats can keep the call alive;
        // the timeout is ten heartbeats long, so a busy machine's pauses do not end it.
        onSamplingRequest: async () => {
          await sleep(1500);
          return { role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'conformance' };
        },
      });
      const beats: Progress[] = [];
      const result = await client.callTool('sample_with_heartbeat', { heartbeat_ms: 100 }, { timeout: 1000, onProgress: (p) => beats.push(p) });
      checkEqual(result.content, [{ type: 'text', text: 'sampled' }], 'result');
      check(beats.length >= 2, `at least 2 heartbeats, got ${beats.length}`);
    },
  },
  {
    id: 'client-input-both-eras',
    title: 'a tool that samples and lists roots gets the client\'s answers: server→client requests (legacy), input rounds (modern)',
    eras: ['legacy', 'modern'],
    requires: ['serverToClientRequests', 'referenceServer'],
    spec: [
      { revision: '2025-11-25', section: 'client/sampling' },
      { revision: '2026-07-28', section: 'basic/patterns/mrtr' },
    ],
    async run(h) {
      const { callText } = await h.client({
        roots: [{ uri: 'file:///conformance', name: 'conformance' }],
        onSamplingRequest: async () => ({ role: 'assistant', content: { type: 'text', text: 'Paris' }, model: 'conformance' }),
      });
      checkEqual(await callText('test_input_required_result_sampling'), 'Sampled: Paris', 'sampling answer');
      checkEqual(await callText('test_input_required_result_list_roots'), 'Roots: file:///conformance', 'roots answer');
    },
  },
  {
    id: 'listen-ack-tag-filter',
    title: 'the listen acknowledgement comes first, names the honoured filter, and every message is tagged',
    eras: ['modern'],
    spec: [{ revision: '2026-07-28', section: 'basic/patterns/subscriptions' }],
    async run(h) {
      const connected = await h.client();
      const { client, callText } = connected;
      const tools: unknown[] = [];
      let prompts = 0;
      client.on('notifications/tools/list_changed', (p) => tools.push(p._meta?.[META.subscriptionId]));
      const honoured = await client.listening();
      checkEqual(honoured, { toolsListChanged: true }, 'acknowledged filter');
      client.on('custom/not-asked', () => prompts++);
      // After the acknowledged filter is checked: the marker adds its URI to the subscription.
      const marker = await watchMarker(connected);
      await client.listening();
      await callText('long_running_task', { task_name: 'filter', steps: 2 });
      await eventually(() => check(tools.length >= 1, 'tools/list_changed arrives'));
      check(tools.every((id) => id !== undefined), `every notification carries a subscription id: ${JSON.stringify(tools)}`);
      await marker.pass();
      checkEqual(prompts, 0, 'types not asked for');
    },
  },
  {
    id: 'listen-teardown',
    title: 'ending the listen subscription frees it on the server',
    eras: ['modern'],
    requires: ['referenceServer'],
    spec: [{ revision: '2026-07-28', section: 'basic/patterns/subscriptions#cancellation' }],
    async run(h) {
      const { client, name, callText } = await h.client();
      const mine = async () => (JSON.parse(await callText('list_sessions')) as Array<{ client: string }>).filter((s) => s.client === name).length;
      const off = client.on('notifications/tools/list_changed', () => {});
      await client.listening();
      checkEqual(await mine(), 1, 'listen subscriptions while listening');
      off();
      await client.listening();
      await eventually(async () => checkEqual(await mine(), 0, 'listen subscriptions after teardown'));
    },
  },
  {
    id: 'cancellation-client-to-server',
    title: "aborting a call cancels the server's work",
    eras: ['legacy', 'modern'],
    spec: [{ revision: '2025-11-25', section: 'basic/utilities/cancellation' }, { revision: '2026-07-28', section: 'basic/patterns/cancellation' }],
    async run(h) {
      const { client, callText } = await h.client();
      const probe = `abort-${Date.now()}`;
      const controller = new AbortController();
      const call = client.callTool('cancellation_probe', { probe_id: probe, delay_ms: 5000 }, { signal: controller.signal });
      await eventually(async () => checkEqual(await callText('probe_result', { probe_id: probe }), 'running', 'probe started'));
      controller.abort('user pressed stop');
      const error = await call.then(() => undefined, (e: unknown) => e);
      check(error instanceof ProtocolError && error.code === 'RequestCancelled', `the call rejects as cancelled: ${String(error)}`);
      await eventually(async () => checkEqual(await callText('probe_result', { probe_id: probe }), 'aborted', 'server-side outcome'));
    },
  },
  {
    id: 'cancellation-server-to-client',
    title: "a cancelled tool call cancels the server's own sampling request to the client",
    eras: ['legacy'],
    requires: ['serverToClientRequests', 'referenceServer'],
    spec: [{ revision: '2025-11-25', section: 'basic/utilities/cancellation' }],
    async run(h) {
      let samplingAborted = false;
      let samplingStarted = false;
      const { client } = await h.client({
        onSamplingRequest: (_params, ctx) =>
          new Promise((_resolve, reject) => {
            samplingStarted = true;
            ctx.signal.addEventListener('abort', () => {
              samplingAborted = true;
              reject(ctx.signal.reason);
            });
          }),
      });
      const controller = new AbortController();
      const call = client.callTool('sample_with_heartbeat', { heartbeat_ms: 1000 }, { signal: controller.signal });
      await eventually(() => check(samplingStarted, 'sampling request reached the client'));
      controller.abort();
      await call.catch(() => {});
      await eventually(() => check(samplingAborted, 'the client was told to stop sampling'));
    },
  },
];

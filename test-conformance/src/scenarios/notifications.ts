import { check, checkEqual, eventually } from '../assert.js';
import { isMarkerUri, watchMarker } from '../marker.js';
import type { Scenario } from '../types.js';

const both = ['legacy', 'modern'] as const;
const LISTS = ['tools', 'resources', 'prompts'] as const;

export const notificationScenarios: Scenario[] = [
  {
    id: 'list-changed-three-kinds',
    title: 'tools, resources and prompts list_changed all reach the client (coalesced per step)',
    eras: both,
    spec: [
      { revision: '2025-11-25', section: 'server/tools#list-changed-notification' },
      { revision: '2026-07-28', section: 'basic/patterns/subscriptions' },
    ],
    async run(h) {
      const connected = await h.client();
      const { client } = connected;
      const marker = await watchMarker(connected);
      const counts = { tools: 0, resources: 0, prompts: 0 };
      for (const kind of LISTS) client.on(`notifications/${kind}/list_changed`, () => counts[kind]++);
      await client.listening();
      await client.callTool('long_running_task', { task_name: 'lists', steps: 5 });
      await eventually(() => check(LISTS.every((k) => counts[k] >= 1), `each kind arrives: ${JSON.stringify(counts)}`));
      await marker.pass();
      check(LISTS.every((k) => counts[k] <= 5), `at most one per step: ${JSON.stringify(counts)}`);
    },
  },
  {
    id: 'list-changed-coalescing',
    title: 'adding 50 tools in one tick sends one tools/list_changed',
    eras: both,
    requires: ['referenceServer'],
    spec: [{ revision: '2025-11-25', section: 'server/tools#list-changed-notification' }],
    async run(h) {
      const connected = await h.client();
      const { client, callText } = connected;
      const marker = await watchMarker(connected);
      let count = 0;
      client.on('notifications/tools/list_changed', () => count++);
      await client.listening();
      await callText('change_tools', { count: 50 });
      await eventually(() => check(count >= 1, 'the change is announced'));
      // List changes leave a merge window later (PROTOCOL.md §list-changed). A prompts change opens its
      // window now, after every window the 50 additions opened, and the tool answers once it closed:
      // the marker then follows whatever those windows sent.
      await callText('test_trigger_prompt_change');
      await marker.pass();
      checkEqual(count, 1, 'tools/list_changed notifications');
    },
  },
  {
    id: 'resource-updated-subscribers-only',
    title: 'resources/updated reaches a subscriber for its URI only, and stops after unsubscribe',
    eras: both,
    spec: [
      { revision: '2025-11-25', section: 'server/resources#subscriptions' },
      { revision: '2026-07-28', section: 'basic/patterns/subscriptions#notification-filter' },
    ],
    async run(h) {
      const connected = await h.client();
      const { client, callText } = connected;
      const marker = await watchMarker(connected);
      const updates: string[] = [];
      client.on('notifications/resources/updated', (p) => void (isMarkerUri(p.uri) || updates.push(p.uri)));
      await client.subscribe('test://watched-resource');
      await callText('touch_resource', { uri: 'test://watched-resource' });
      await callText('touch_resource', { uri: 'test://not-subscribed' });
      await eventually(() => checkEqual(updates, ['test://watched-resource'], 'updates'));
      await client.unsubscribe('test://watched-resource');
      await callText('touch_resource', { uri: 'test://watched-resource' });
      await marker.pass();
      checkEqual(updates, ['test://watched-resource'], 'updates after unsubscribe');
    },
  },
  {
    id: 'resource-updated-not-to-others',
    title: 'a client that did not subscribe gets no resources/updated',
    eras: both,
    requires: ['multipleClients'],
    spec: [{ revision: '2025-11-25', section: 'server/resources#subscriptions' }],
    async run(h) {
      const subscriber = await h.client();
      const bystander = await h.client();
      const marker = await watchMarker(bystander);
      const seen = { subscriber: 0, bystander: 0 };
      subscriber.client.on('notifications/resources/updated', () => seen.subscriber++);
      bystander.client.on('notifications/resources/updated', (p) => void (isMarkerUri(p.uri) || seen.bystander++));
      await bystander.client.listening();
      await subscriber.client.subscribe('test://watched-resource');
      await subscriber.callText('touch_resource', { uri: 'test://watched-resource' });
      await eventually(() => checkEqual(seen.subscriber, 1, 'subscriber updates'));
      await marker.pass();
      checkEqual(seen.bystander, 0, 'bystander updates');
    },
  },
  {
    id: 'logging-legacy-set-level',
    title: 'logging/setLevel(warning) filters out debug, info and notice',
    eras: ['legacy'],
    spec: [{ revision: '2025-11-25', section: 'server/utilities/logging' }],
    async run(h) {
      const { client, callText } = await h.client();
      const levels: string[] = [];
      client.on('notifications/message', (p) => levels.push(p.level));
      await client.setLogLevel('warning');
      await callText('log_levels');
      await eventually(() => checkEqual(levels, ['warning', 'error'], 'levels received'));
    },
  },
  {
    id: 'logging-modern-per-request',
    title: 'logs arrive only on requests that carry logLevel, at that level and above',
    eras: ['modern'],
    spec: [{ revision: '2026-07-28', section: 'server/utilities/logging#per-request-log-level' }],
    async run(h) {
      const { client, callText } = await h.client();
      const levels: string[] = [];
      client.on('notifications/message', (p) => levels.push(p.level));
      await callText('log_levels');
      checkEqual(levels, [], 'logs without logLevel');
      await client.setLogLevel('notice');
      await callText('log_levels');
      checkEqual(levels, ['notice', 'warning', 'error'], 'logs with logLevel notice');
    },
  },
  {
    id: 'custom-broadcast',
    title: 'a broadcast custom notification reaches every session that can receive it',
    eras: both,
    requires: ['referenceServer'],
    spec: [{ revision: '2025-11-25', section: 'basic#notifications' }],
    async run(h) {
      const clients = h.capabilities.multipleClients ? [await h.client(), await h.client()] : [await h.client()];
      const received = clients.map(() => [] as unknown[]);
      clients.forEach((c, i) => c.client.on('custom/status-update', (p) => received[i]!.push(p.status)));
      for (const c of clients) await c.client.listening();
      const reached = Number(await clients[0]!.callText('broadcast', { method: 'custom/status-update', params: { status: 'ready' } }));
      checkEqual(reached, clients.length, 'recipients reached');
      await eventually(() => checkEqual(received, clients.map(() => ['ready']), 'received'));
    },
  },
  {
    id: 'custom-targeted',
    title: 'a targeted custom notification reaches its session only; an unknown target is refused',
    eras: both,
    requires: ['referenceServer'],
    spec: [{ revision: '2025-11-25', section: 'basic#notifications' }],
    async run(h) {
      const target = await h.client();
      const got: unknown[] = [];
      target.client.on('custom/welcome', (p) => got.push(p.message));
      await target.client.listening();
      const sessions = JSON.parse(await target.callText('list_sessions')) as Array<{ id: string; client: string }>;
      const mine = sessions.find((s) => s.client === target.name);
      check(mine, `own session listed: ${JSON.stringify(sessions)}`);
      checkEqual(await target.callText('notify_session', { session_id: mine.id, method: 'custom/welcome', params: { message: 'hi' } }), 'true', 'delivered');
      checkEqual(await target.callText('notify_session', { session_id: 'no-such-session', method: 'custom/welcome', params: { message: 'lost' } }), 'false', 'unknown target');
      await eventually(() => checkEqual(got, ['hi'], 'received'));
    },
  },
];

import { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from '@tidings/protocol';
import { check } from '../assert.js';
import type { Scenario } from '../types.js';

export const lifecycleScenarios: Scenario[] = [
  {
    id: 'lifecycle-legacy-handshake',
    title: 'initialize negotiates a legacy revision and the session becomes live',
    eras: ['legacy'],
    requires: ['referenceServer'],
    spec: [{ revision: '2025-11-25', section: 'basic/lifecycle' }],
    async run(h) {
      const { client, name, callText } = await h.client();
      check((LEGACY_PROTOCOL_VERSIONS as readonly string[]).includes(client.protocolVersion ?? ''), `negotiated ${client.protocolVersion}`);
      check(client.serverInfo?.name !== undefined, 'initialize result carries serverInfo');
      const sessions = JSON.parse(await callText('list_sessions')) as Array<{ client: string; era: string }>;
      check(sessions.some((s) => s.client === name && s.era === 'legacy'), `the session of ${name} is listed: ${JSON.stringify(sessions)}`);
      await client.ping();
    },
  },
  {
    id: 'lifecycle-modern-discover',
    title: 'server/discover advertises a modern revision; requests are stateless',
    eras: ['modern'],
    requires: ['referenceServer'],
    spec: [{ revision: '2026-07-28', section: 'server/discover' }, { revision: '2026-07-28', section: 'basic/versioning' }],
    async run(h) {
      const { client, name, callText } = await h.client();
      check((MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(client.protocolVersion ?? ''), `negotiated ${client.protocolVersion}`);
      check(client.serverCapabilities?.tools !== undefined, 'discover result carries capabilities');
      // A modern client without handlers holds no listen stream: nothing is kept for it.
      const sessions = JSON.parse(await callText('list_sessions')) as Array<{ client: string }>;
      check(!sessions.some((s) => s.client === name), 'a modern client without a listen subscription is not a session');
    },
  },
];

/// <reference lib="dom" />
import { createClient, type EraPreference } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http/client';

/** The custom notification the page asks the server to broadcast. */
const HELLO = 'demo/hello';

const query = new URLSearchParams(location.search);
const serverUrl = query.get('server') ?? 'http://127.0.0.1:3000/mcp';
const era = (query.get('era') ?? 'auto') as EraPreference;

const $ = (id: string): HTMLElement => document.getElementById(id)!;
const show = (line: string): void => void $('events').append(`${line}\n`);
const setState = (state: string): void => {
  document.body.dataset.state = state;
};

/**
 * Connects to the reference server in the era asked for (`?era=legacy` for a
 * 2025-11-25 session, `modern` for 2026-07-28 requests and a listen stream),
 * runs `long_running_task` with a progress bar, then has the server change
 * its tool list and broadcast a notification, and shows what arrives.
 */
async function main(): Promise<void> {
  $('server').textContent = serverUrl;
  $('era').textContent = era;
  const client = createClient({ name: 'tidings-browser-example', version: '1.0.0' }, { era });
  client.on('notifications/tools/list_changed', () => show('tools/list_changed'));
  let heard!: () => void;
  const hello = new Promise<void>((resolve) => (heard = resolve));
  client.on(HELLO, (params) => {
    show(`broadcast: ${String((params as { text?: unknown }).text)}`);
    heard();
  });
  await client.connect(createStreamableHttpClientTransport(serverUrl));
  await client.listening();
  $('status').textContent = 'connected';
  setState('connected');

  const progress = $('progress') as HTMLProgressElement;
  const result = await client.callTool('long_running_task', { task_name: 'browser', steps: 5, delay_ms: 50 }, {
    onProgress: ({ progress: done, total, message }) => {
      progress.value = total ? done / total : done;
      $('step').textContent = message ?? `${done}`;
    },
  });
  const first = result.content[0];
  $('result').textContent = first?.type === 'text' ? first.text : JSON.stringify(result.content);

  await client.callTool('add_tool', { name: 'added_from_the_browser' });
  await client.callTool('broadcast', { method: HELLO, params: { text: 'hello from the server' } });
  // In the modern era the broadcast travels on the listen stream, not with the call's answer: wait for it.
  await hello;
  setState('done');
}

main().catch((error: unknown) => {
  $('status').textContent = `failed: ${String(error)}`;
  setState('failed');
});

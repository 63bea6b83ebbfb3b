/// <reference lib="dom" />
import { createClient, type EraPreference } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http/client';

/** The custom notification the page asks the server to broadcast. */
const HELLO = 'demo/hello';
/** The tool the page asks the server to register, so that its tool list changes. */
const ADDED_TOOL = 'added_from_the_browser';

const query = new URLSearchParams(location.search);
const serverUrl = query.get('server') ?? 'http://127.0.0.1:3000/mcp';
const era = (query.get('era') ?? 'auto') as EraPreference;

const $ = (id: string): HTMLElement => document.getElementById(id)!;
const show = (line: string): void => void $('events').append(`${line}\n`);
const setState = (state: string): void => {
  document.body.dataset.state = state;
};

/** A promise with its resolve function, for notifications the page waits on. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Connects to the reference server in the era asked for (`?era=legacy` for a
 * 2025-11-25 session, `modern` for 2026-07-28 requests and a listen stream),
 * has the server add a tool and re-lists the tools when told, runs
 * `long_running_task` with a progress bar, then has the server broadcast a
 * notification, and shows what arrives. `body[data-state]` is the marker a
 * test waits on: `done` once everything arrived, `failed` with the reason.
 */
async function main(): Promise<void> {
  $('server').textContent = serverUrl;
  $('era').textContent = era;
  const client = createClient({ name: 'tidings-browser-example', version: '1.0.0' }, { era });

  // Notifications arrive as the server sends them, not with a call's answer (in the modern
  // era on the listen stream), and the server merges list changes for a few milliseconds,
  // so a later broadcast can overtake them: the page waits for each thing it expects.
  const counts = { tools: 0, resources: 0, prompts: 0 };
  const changed = { tools: deferred(), resources: deferred(), prompts: deferred() };
  for (const kind of ['tools', 'resources', 'prompts'] as const) {
    client.on(`notifications/${kind}/list_changed`, () => {
      counts[kind] += 1;
      $('counts').textContent = `tools ×${counts.tools} · resources ×${counts.resources} · prompts ×${counts.prompts}`;
      changed[kind].resolve();
    });
  }
  const hello = deferred();
  client.on(HELLO, (params) => {
    show(`broadcast: ${String((params as { text?: unknown }).text)}`);
    hello.resolve();
  });

  await client.connect(createStreamableHttpClientTransport(serverUrl));
  await client.listening();
  $('status').textContent = `connected (protocol ${client.protocolVersion ?? 'unknown'})`;
  setState('connected');

  // Before the task, whose steps change all three lists too: this list_changed is add_tool's.
  await client.callTool('add_tool', { name: ADDED_TOOL });
  await changed.tools.promise;
  const { tools } = await client.listTools();
  const listed = tools.some((tool) => tool.name === ADDED_TOOL);
  show(`tools/list_changed: tools/list ${listed ? 'has' : 'lacks'} ${ADDED_TOOL}`);

  const progress = $('progress') as HTMLProgressElement;
  const result = await client.callTool('long_running_task', { task_name: 'browser', steps: 5, delay_ms: 50 }, {
    onProgress: ({ progress: done, total, message }) => {
      progress.value = total ? done / total : done;
      $('step').textContent = message ?? `${done}`;
    },
  });
  const first = result.content[0];
  $('result').textContent = first?.type === 'text' ? first.text : JSON.stringify(result.content);

  await Promise.all([changed.resources.promise, changed.prompts.promise]);
  await client.callTool('broadcast', { method: HELLO, params: { text: 'hello from the server' } });
  await hello.promise;
  setState('done');
}

main().catch((error: unknown) => {
  $('status').textContent = `failed: ${String(error)}`;
  setState('failed');
});

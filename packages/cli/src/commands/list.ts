import type { Client } from '@tidings/protocol';
import pc from 'picocolors';
import { targetOptions, type CommonOptions } from '../commonOptions.js';
import { connectWatched } from '../connectWatched.js';
import { resolveTargets } from '../resolveTargets.js';
import { UsageError } from '../usageError.js';
import { colorEnabled } from '../views/view.js';
import { describeEvent } from '../views/describeEvent.js';
import { renderLine } from '../views/segments.js';

const KINDS = ['tools', 'resources', 'prompts'] as const;
type Kind = (typeof KINDS)[number];
/** Pages read at most per list, so a server that keeps handing out cursors cannot loop us forever. */
const MAX_PAGES = 100;

interface Item {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly uri?: string;
}

/**
 * `tidings list <server> [tools|resources|prompts]` (or `[kind] -- command…`):
 * every page of each list; without a kind, every list the server declares.
 * Resolves with the exit code: 0, or 1 when the server cannot be reached or a
 * list fails.
 */
export async function list(args: readonly string[], command: readonly string[] | undefined, options: CommonOptions): Promise<number> {
  const [target, kind] = command === undefined ? args : [undefined, ...args];
  if ((command === undefined && target === undefined) || args.length > (command === undefined ? 2 : 1) || (kind !== undefined && !KINDS.includes(kind as Kind))) {
    throw new UsageError('usage: tidings list <server> [tools|resources|prompts]   or   tidings list [tools|resources|prompts] -- <command> [args…]');
  }
  const config = resolveTargets(target === undefined ? [] : [target], command, targetOptions(options));
  const server = config.servers[0]!.name;
  const colors = pc.createColors(colorEnabled(process.stdout, options.color));
  const errColors = pc.createColors(colorEnabled(process.stderr, options.color));
  const { pool, close } = await connectWatched(
    config,
    (event) => {
      // Only what explains a failure: the rest of a list run is its output.
      if (event.type === 'error' || (event.type === 'state' && event.state === 'failed')) {
        process.stderr.write(`${renderLine([[`${event.server}: `, errColors.bold], ...describeEvent(event, errColors)])}\n`);
      }
    },
    { era: options.era, reconnect: false, notifications: [] },
  );
  try {
    if (pool.failures.length > 0) return 1;
    const client = pool.get(server);
    const declared = client.serverCapabilities ?? {};
    const kinds = kind !== undefined ? [kind as Kind] : KINDS.filter((k) => declared[k] !== undefined);
    for (const k of kinds) {
      let items: Item[];
      try {
        items = await readAll(client, k);
      } catch (error) {
        process.stderr.write(`${server}: cannot list ${k}: ${(error as Error).message}\n`);
        return 1;
      }
      if (options.json) {
        for (const item of items) process.stdout.write(`${JSON.stringify({ server, kind: k.slice(0, -1), ...item })}\n`);
        continue;
      }
      process.stdout.write(`${colors.bold(`${k} (${items.length})`)}\n`);
      const width = Math.max(0, ...items.map((i) => (i.uri ?? i.name).length));
      for (const item of items) {
        const label = (item.uri ?? item.name).padEnd(width);
        const about = item.description ?? item.title ?? (item.uri ? item.name : '');
        process.stdout.write(`  ${colors.cyan(label)}  ${about.split('\n')[0]}\n`);
      }
    }
    return 0;
  } finally {
    await close();
  }
}

async function readAll(client: Client, kind: Kind): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result =
      kind === 'tools' ? await client.listTools({ cursor })
      : kind === 'resources' ? await client.listResources({ cursor })
      : await client.listPrompts({ cursor });
    const batch = 'tools' in result ? result.tools : 'resources' in result ? result.resources : result.prompts;
    items.push(...(batch as Item[]));
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return items;
}

import { isSpecNotification, NOTIFICATION_METHODS } from '@tidings/protocol';
import { Format, MultiBar, Presets, type Options, type Params, type SingleBar } from './cliProgress.js';
import pc from 'picocolors';
import type { WatchEvent } from '../watchEvent.js';
import { describeEvent, percentOf, seconds } from './describeEvent.js';
import { clockTime } from './plainView.js';
import { renderLine, type Segment } from './segments.js';
import type { View, ViewOptions } from './view.js';

/** Options of {@link createLiveView}. */
export type LiveViewOptions = ViewOptions;

/** Log lines that may wait for the next frame before one is drawn at once: a flood must not grow the buffer. */
const MAX_PENDING_LINES = 200;
const LIST_KINDS = ['tools', 'resources', 'prompts'] as const;
/** The list_changed notification of each counted kind. */
const LIST_KIND_BY_METHOD = new Map<string, (typeof LIST_KINDS)[number]>([
  [NOTIFICATION_METHODS.toolsListChanged, 'tools'],
  [NOTIFICATION_METHODS.resourcesListChanged, 'resources'],
  [NOTIFICATION_METHODS.promptsListChanged, 'prompts'],
]);

interface ServerRow {
  readonly transport: string;
  state: WatchEvent & { type: 'state' } | undefined;
  readonly counts: Record<(typeof LIST_KINDS)[number] | 'updated' | 'custom', number>;
}

interface ProgressRow {
  readonly server: string;
  readonly tool: string;
  readonly bar: SingleBar;
  readonly startedAt: number;
  readonly first: { readonly at: number; readonly progress: number };
  last: { at: number; progress: number; total: number | undefined; message: string | undefined };
  outcome: 'running' | 'done' | 'failed';
}

/**
 * The terminal view, drawn by cli-progress: one status line per server (state,
 * list_changed counters per type, resource updates, custom notifications), one
 * bar per active progress token (percent when the total is known, message,
 * rate), and log lines scrolling above them, coloured by level.
 */
export function createLiveView(out: NodeJS.WriteStream, options: LiveViewOptions): View {
  const colors = pc.createColors(options.color);
  const columns = (): number => out.columns || 80;
  // One column spare: a line that fills the last column would wrap on some terminals.
  const width = (): number => Math.max(20, columns() - 1);
  const fit = (segments: Segment[]): string => renderLine(segments, { width: width() });
  const nameWidth = Math.max(0, ...options.servers.map((s) => s.name.length));
  const bars = new MultiBar({
    stream: uncutStream(out),
    ...Presets.shades_classic,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    stopOnComplete: false,
    gracefulExit: false,
    // Log lines written above the bars overwrite them; every frame draws them again.
    forceRedraw: true,
    format: () => '',
  } satisfies Options);
  let closed = false;
  // However the process ends, the terminal gets its cursor and line wrapping back.
  const restore = (): void => {
    if (!closed) bars.stop();
  };
  process.once('exit', restore);
  let pending = 0;
  bars.on('redraw-pre', () => void (pending = 0));

  const servers = new Map<string, ServerRow>();
  const progress = new Map<string, ProgressRow>();
  const name = (server: string) => [` ${server.padEnd(nameWidth)} `, colors.bold] as Segment;

  const detailOf = ({ state, transport }: ServerRow): string =>
    state?.state === 'ready' ? `${transport} · ${state.era} ${state.protocolVersion}`
    : state?.state === 'reconnecting' ? `reconnecting (attempt ${state.attempt})`
    : state?.state === 'failed' ? `failed: ${state.reason ?? ''}`
    : state?.state ?? 'connecting';
  const serverLine = (server: string, row: ServerRow): string => {
    const state = row.state?.state;
    const [mark, paint] = !state || state === 'connecting' || state === 'reconnecting'
      ? ['◌', colors.yellow]
      : state === 'ready' ? ['●', colors.green] : state === 'failed' ? ['✗', colors.red] : ['○', colors.gray];
    // Counters line up across servers; a long failure reason does not push them all right.
    const detailWidth = Math.min(40, Math.max(...[...servers.values()].map((r) => detailOf(r).length)));
    const counters = [...LIST_KINDS.map((k) => `${k} ${row.counts[k]}`), `updates ${row.counts.updated}`, `custom ${row.counts.custom}`].join(' · ');
    return fit([[mark, paint], name(server), [`${detailOf(row).padEnd(detailWidth)}  `, colors.gray], [counters]]);
  };

  const progressLine = (row: ProgressRow, barOptions: Options): string => {
    const { progress: value, total, message, at } = row.last;
    const percent = percentOf(value, total);
    const elapsed = (at - row.first.at) / 1000;
    const rate = elapsed > 0 ? (value - row.first.progress) / elapsed : undefined;
    const facts: string[] = [];
    if (message) facts.push(message);
    if (rate !== undefined && rate > 0) facts.push(percent !== undefined && total ? `${((rate / total) * 100).toFixed(1)}%/s` : `${rate.toFixed(1)}/s`);
    facts.push(seconds(Date.now() - row.startedAt));
    const amount: Segment[] = percent !== undefined
      ? [[Format.BarFormat(percent / 100, barOptions), colors.cyan], [` ${String(percent).padStart(3)}%`, colors.bold]]
      : [[`${value}${total !== undefined ? `/${total}` : ''}`, colors.bold]];
    const [mark, paint] = row.outcome === 'done' ? ['✓', colors.green] : row.outcome === 'failed' ? ['✗', colors.red] : ['▸', colors.cyan];
    return fit([[mark, paint], name(row.server), [`${row.tool} `], ...amount, [` · ${facts.join(' · ')}`, colors.gray]]);
  };

  const logEvent = (event: WatchEvent): void => {
    // Padded: cli-progress writes log lines over the bars without clearing what was there.
    const line = renderLine([[clockTime(event.time).slice(0, 8), colors.gray], name(event.server), ...describeEvent(event, colors)], { width: width(), pad: !closed });
    if (closed) out.write(`${line}\n`);
    else {
      bars.log(`${line}\n`);
      if (++pending > MAX_PENDING_LINES) bars.update();
    }
  };

  for (const { name: server, transport } of options.servers) {
    const row: ServerRow = { transport, state: undefined, counts: { tools: 0, resources: 0, prompts: 0, updated: 0, custom: 0 } };
    servers.set(server, row);
    bars.create(1, 0, {}, { format: () => serverLine(server, row) });
  }

  /** A call ended: watch removes its bar (a line says how it ended); call keeps it above the result it prints. */
  const finish = (token: string | undefined, outcome: 'done' | 'failed'): void => {
    const row = token === undefined ? undefined : progress.get(token);
    if (!row) return;
    row.outcome = outcome;
    if (options.command === 'call') return;
    progress.delete(token!);
    bars.remove(row.bar);
  };

  return {
    event(event) {
      const row = servers.get(event.server);
      switch (event.type) {
        case 'state':
          if (row) row.state = event;
          // The status line shows a first connection; what happens later is worth a line of history.
          if (event.state !== 'ready' || event.reconnected) logEvent(event);
          return;
        case 'notification': {
          const kind = LIST_KIND_BY_METHOD.get(event.method);
          if (row && kind) {
            row.counts[kind]++;
            return;
          }
          if (row && event.method === NOTIFICATION_METHODS.resourceUpdated) row.counts.updated++;
          else if (row && !isSpecNotification(event.method)) row.counts.custom++;
          logEvent(event);
          return;
        }
        case 'progress': {
          const now = Date.now();
          const last = { at: now, progress: event.progress, total: event.total, message: event.message };
          const existing = progress.get(event.token);
          if (existing) existing.last = last;
          else if (!closed) {
            const created: ProgressRow = { server: event.server, tool: event.tool, startedAt: now, first: { at: now, progress: event.progress }, last, outcome: 'running', bar: undefined! };
            (created as { bar: SingleBar }).bar = bars.create(1, 0, {}, { format: (barOptions: Options, _params: Params) => progressLine(created, barOptions) });
            progress.set(event.token, created);
          }
          return;
        }
        case 'result':
          finish(event.token, event.isError ? 'failed' : 'done');
          if (options.command === 'watch') logEvent(event);
          return;
        case 'error':
          finish(event.token, 'failed');
          logEvent(event);
          return;
        case 'stderr':
          logEvent(event);
          return;
      }
    },
    close() {
      if (closed) return;
      // A frame first: stop() draws the bars but not the log lines still waiting for one.
      bars.update();
      closed = true;
      bars.stop();
      process.off('exit', restore);
    },
  };
}

/**
 * The terminal as cli-progress sees it: the same stream, but wide without
 * limit. cli-progress cuts lines at `columns` counting colour codes as
 * characters (its last frame is cut mid-text); our lines already fit the real
 * width (`renderLine`), so nothing is left for it to cut.
 */
function uncutStream(out: NodeJS.WriteStream): NodeJS.WriteStream {
  return {
    isTTY: out.isTTY,
    columns: Number.MAX_SAFE_INTEGER,
    write: (chunk: string, callback?: () => void) => out.write(chunk, callback),
  } as unknown as NodeJS.WriteStream;
}

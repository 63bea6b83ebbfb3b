import { isSpecNotification, NOTIFICATION_METHODS, shortNotificationName, type ContentBlock, type LoggingLevel } from '@tidings/protocol';
import type { Colors } from 'picocolors/types';
import type { WatchEvent } from '../watchEvent.js';
import { oneLine, type Segment } from './segments.js';

/** Level colours, RFC 5424 order (debug … emergency). */
function levelPaint(pc: Colors, level: string): (text: string) => string {
  switch (level as LoggingLevel) {
    case 'debug':
      return pc.gray;
    case 'info':
      return pc.blue;
    case 'notice':
      return pc.cyan;
    case 'warning':
      return pc.yellow;
    case 'error':
      return pc.red;
    default:
      // critical, alert, emergency
      return (text) => pc.bold(pc.red(text));
  }
}

/** A tool result's content in one line: text as is, anything else named. */
export function contentText(content: readonly ContentBlock[]): string {
  return content
    .map((block) => {
      switch (block.type) {
        case 'text':
          return block.text;
        case 'image':
        case 'audio':
          return `[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
        case 'resource_link':
          return `[link ${block.uri}]`;
        case 'resource':
          return 'text' in block.resource ? block.resource.text : `[resource ${block.resource.uri}]`;
        default:
          return JSON.stringify(block);
      }
    })
    .join('\n');
}

/** Params without the `_meta` the protocol adds, as compact JSON. */
export function paramsText(params: Record<string, unknown> | undefined): string {
  if (!params) return '';
  const { _meta: _, ...rest } = params;
  return Object.keys(rest).length === 0 ? '' : JSON.stringify(rest);
}

/** Percent of a progress update, when its total is known. */
export function percentOf(progress: number, total: number | undefined): number | undefined {
  return total !== undefined && total > 0 ? Math.min(100, Math.floor((progress / total) * 100)) : undefined;
}

/** "0.4 s", "12 s": durations as people read them. */
export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * What one event says, after the time and server columns: the plain view
 * prints it for every event; the live view for everything it does not draw
 * as a bar or a counter.
 */
export function describeEvent(event: WatchEvent, pc: Colors): Segment[] {
  switch (event.type) {
    case 'state':
      return describeState(event, pc);
    case 'notification': {
      const { method, params } = event;
      if (method === NOTIFICATION_METHODS.message) {
        const level = String(params?.level ?? 'info');
        const data = params?.data;
        const logger = typeof params?.logger === 'string' ? `[${params.logger}] ` : '';
        return [[level.padEnd(7), levelPaint(pc, level)], [`${logger}${oneLine(typeof data === 'string' ? data : JSON.stringify(data))}`]];
      }
      if (method === NOTIFICATION_METHODS.resourceUpdated) return [[`${shortNotificationName(method)} `, pc.magenta], [String(params?.uri ?? '')]];
      if (method === NOTIFICATION_METHODS.tasks || method === NOTIFICATION_METHODS.taskStatus) return describeTask(params, pc);
      const short = shortNotificationName(method);
      const rest = paramsText(params);
      return [[short, isSpecNotification(method) ? pc.cyan : pc.magenta], ...(rest ? ([[` ${rest}`]] as Segment[]) : [])];
    }
    case 'progress': {
      const percent = percentOf(event.progress, event.total);
      const amount = percent !== undefined ? `${percent}%` : `${event.progress}${event.total !== undefined ? `/${event.total}` : ''}`;
      return [[`${event.tool} `], [amount, pc.bold], ...(event.message ? ([[` ${oneLine(event.message)}`]] as Segment[]) : [])];
    }
    case 'result':
      return event.isError
        ? [[`${event.tool} `], ['✗ tool error: ', pc.red], [oneLine(contentText(event.content))], [` (${seconds(event.durationMs)})`, pc.gray]]
        : [[`${event.tool} `], ['✓ ', pc.green], [oneLine(contentText(event.content))], [` (${seconds(event.durationMs)})`, pc.gray]];
    case 'error':
      return [[event.tool ? `${event.tool} ` : ''], ['error: ', pc.red], [oneLine(event.message)]];
    case 'stderr':
      return [['stderr ', pc.gray], [oneLine(event.line), pc.dim]];
  }
}

/** How each task status is painted: running in yellow, waiting for the user in magenta, then the outcome. */
function statusPaint(pc: Colors, status: string): (text: string) => string {
  switch (status) {
    case 'working':
      return pc.yellow;
    case 'input_required':
      return pc.magenta;
    case 'completed':
      return pc.green;
    case 'failed':
      return pc.red;
    default:
      return pc.gray;
  }
}

/**
 * A task's state in one line, whichever era pushed it: `task <id> <status>`,
 * then its status message, what it asks for, or why it failed.
 */
function describeTask(params: Record<string, unknown> | undefined, pc: Colors): Segment[] {
  const status = String(params?.status ?? 'unknown');
  const segments: Segment[] = [['task ', pc.cyan], [`${String(params?.taskId ?? '?')} `], [status.replace('_', ' '), statusPaint(pc, status)]];
  const details: string[] = [];
  if (typeof params?.statusMessage === 'string') details.push(params.statusMessage);
  const asks = params?.inputRequests;
  if (asks && typeof asks === 'object') details.push(`asks ${Object.values(asks as Record<string, { method?: unknown }>).map((r) => String(r.method)).join(', ')}`);
  const error = params?.error as { message?: unknown } | undefined;
  if (typeof error?.message === 'string') details.push(error.message);
  if (details.length > 0) segments.push([` · ${oneLine(details.join(' · '))}`, pc.gray]);
  return segments;
}

function describeState(event: Extract<WatchEvent, { type: 'state' }>, pc: Colors): Segment[] {
  switch (event.state) {
    case 'ready': {
      const facts = [event.transport, `${event.era} ${event.protocolVersion}`];
      if (event.serverInfo) facts.push(`${event.serverInfo.name} ${event.serverInfo.version}`);
      if (event.pid !== undefined) facts.push(`pid ${event.pid}`);
      return [[event.reconnected ? 'reconnected' : 'connected', pc.green], [` · ${facts.join(' · ')}`, pc.gray]];
    }
    case 'connecting':
      return [[event.attempt ? `connecting (attempt ${event.attempt})` : 'connecting', pc.yellow]];
    case 'reconnecting':
      return [['connection lost: ', pc.yellow], [oneLine(event.reason ?? '')], [` · reconnecting in ${seconds(event.delayMs ?? 0)} (attempt ${event.attempt})`, pc.yellow]];
    case 'failed':
      return [['failed: ', pc.red], [oneLine(event.reason ?? '')]];
    case 'closed':
      return [['closed', pc.gray]];
  }
}

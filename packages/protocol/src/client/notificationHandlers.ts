import type { z } from 'zod';
import type { DiagnosticHandler } from '../diagnostics.js';
import { ProtocolError } from '../errors.js';
import type { SubscriptionFilter } from '../schemas/primitives.js';
import { CUSTOM_NOTIFICATIONS_FILTER_KEY } from '../server/recipients.js';

interface HandlerEntry {
  readonly schema: z.ZodType | undefined;
  readonly fn: (params: unknown) => void;
}

/** The list_changed methods and the listen filter key each maps to. */
const LIST_FILTERS: ReadonlyArray<[string, keyof SubscriptionFilter]> = [
  ['notifications/tools/list_changed', 'toolsListChanged'],
  ['notifications/prompts/list_changed', 'promptsListChanged'],
  ['notifications/resources/list_changed', 'resourcesListChanged'],
];

/**
 * The notification handlers a client registered with `on`, by method: what
 * they ask the server for (the modern listen filter) and their delivery, each
 * handler on its own (a schema that refuses the params, or a handler that
 * throws, is reported and the others still run).
 */
export class NotificationHandlers {
  readonly #byMethod = new Map<string, Set<HandlerEntry>>();
  readonly #report: DiagnosticHandler;

  constructor(report: DiagnosticHandler) {
    this.#report = report;
  }

  /** Adds a handler; the returned function removes it. */
  add(method: string, schema: z.ZodType | undefined, fn: (params: unknown) => void): () => void {
    const entry: HandlerEntry = { schema, fn };
    let set = this.#byMethod.get(method);
    if (!set) this.#byMethod.set(method, (set = new Set()));
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#byMethod.get(method) === set) this.#byMethod.delete(method);
    };
  }

  /**
   * The listen filter these handlers need (2026-07-28 subscriptions): each
   * list_changed handled (all of them with `everything`), the resource
   * subscriptions, and the custom methods.
   */
  filter(resourceSubscriptions: ReadonlySet<string>, everything: boolean): SubscriptionFilter {
    const filter: Record<string, unknown> = {};
    for (const [method, key] of LIST_FILTERS) if (everything || this.#byMethod.has(method)) filter[key] = true;
    if (resourceSubscriptions.size > 0) filter.resourceSubscriptions = [...resourceSubscriptions];
    const custom = [...this.#byMethod.keys()].filter((m) => !m.startsWith('notifications/'));
    if (custom.length > 0) filter[CUSTOM_NOTIFICATIONS_FILTER_KEY] = custom;
    return filter as SubscriptionFilter;
  }

  /** Hands a notification to its handlers; false when there is none (the caller may have a catch-all). */
  deliver(method: string, params: Record<string, unknown> | undefined): boolean {
    const entries = this.#byMethod.get(method);
    if (!entries || entries.size === 0) return false;
    for (const entry of entries) {
      let value: unknown = params ?? {};
      if (entry.schema) {
        const parsed = entry.schema.safeParse(value);
        if (!parsed.success) {
          this.#report({ kind: 'notification-invalid', method, error: new ProtocolError('InvalidParams', `Invalid ${method} params`, { data: { issues: parsed.error.issues } }) });
          continue;
        }
        value = parsed.data;
      }
      // One handler's bug must not keep the notification from the others.
      try {
        entry.fn(value);
      } catch (error) {
        this.#report({ kind: 'callback-error', where: method, error });
      }
    }
    return true;
  }
}

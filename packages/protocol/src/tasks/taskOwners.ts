import { ProtocolError } from '../errors.js';

/** Most owned tasks remembered at once; past it the oldest record is forgotten. */
const MAX_OWNED_TASKS = 10_000;

/** One page of a session's task ids, and where the next page starts. */
export interface OwnedPage {
  readonly taskIds: readonly string[];
  /** The position after the last id of this page; undefined when nothing follows. */
  readonly next: number | undefined;
}

/**
 * Which 2025-11-25 session each of its tasks belongs to, for as long as the
 * task may still be read (2025-11-25 tasks §security: a task is its
 * requestor's alone, running or over), and the session's tasks in creation
 * order for `tasks/list`. Each record has a position that only grows, so a
 * cursor stays valid while tasks before or after it expire. Bounded: past
 * {@link MAX_OWNED_TASKS} the oldest record goes, as the store would have
 * dropped that task long before.
 */
export class TaskOwners {
  /** taskId → [owner, position], in creation order. */
  readonly #records = new Map<string, readonly [string, number]>();
  /** owner → its task ids by position, in creation order. */
  readonly #byOwner = new Map<string, Map<number, string>>();
  #position = 0;

  /** Records a task of `owner`, just created. */
  add(taskId: string, owner: string): void {
    if (this.#records.size >= MAX_OWNED_TASKS) this.forget(this.#records.keys().next().value as string);
    const position = ++this.#position;
    this.#records.set(taskId, [owner, position]);
    let owned = this.#byOwner.get(owner);
    if (!owned) this.#byOwner.set(owner, (owned = new Map()));
    owned.set(position, taskId);
  }

  /** The session a task belongs to; undefined for a modern task (and one forgotten). */
  ownerOf(taskId: string): string | undefined {
    return this.#records.get(taskId)?.[0];
  }

  /** Drops the record of a task the store no longer holds. */
  forget(taskId: string): void {
    const record = this.#records.get(taskId);
    if (!record) return;
    this.#records.delete(taskId);
    const owned = this.#byOwner.get(record[0]);
    owned?.delete(record[1]);
    if (owned?.size === 0) this.#byOwner.delete(record[0]);
  }

  /** Up to `size` task ids of `owner` created after position `after`, oldest first. */
  page(owner: string, after: number, size: number): OwnedPage {
    const taskIds: string[] = [];
    let last = after;
    for (const [position, taskId] of this.#byOwner.get(owner) ?? []) {
      if (position <= after) continue;
      if (taskIds.length === size) return { taskIds, next: last };
      taskIds.push(taskId);
      last = position;
    }
    return { taskIds, next: undefined };
  }
}

const CURSOR_PREFIX = 'tasks:';
const CURSOR_PATTERN = /^tasks:(\d{1,15})$/;

/** The opaque `nextCursor` of a page that ends at `position` (base64url, so clients do not read meaning into it). */
export function encodeTaskCursor(position: number): string {
  return btoa(`${CURSOR_PREFIX}${position}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The position a `tasks/list` cursor stands for; −32602 when it is not one of ours (2025-11-25 tasks §Protocol Errors). */
export function decodeTaskCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  let text = '';
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    // Not base64: not a cursor of ours.
  }
  const digits = CURSOR_PATTERN.exec(text)?.[1];
  if (digits === undefined) throw new ProtocolError('InvalidParams', 'Invalid cursor', { data: { cursor } });
  return Number(digits);
}

import { compareEntries } from '../cluster/clusterBus.js';
import type { ClusterLink } from '../cluster/clusterLink.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import { TransportError } from '../errors.js';
import { prepareOutbound, type Outbound } from './recipients.js';

/** The connection of a shared legacy session that just became its home. */
export interface CatchUpTarget {
  readonly sessionId: string;
  accepts(method: string, params: Record<string, unknown> | undefined): boolean;
  /** Writes a notification to the session now, with the log entry it came from. */
  write(outbound: Outbound, entry: string | undefined): Promise<void>;
}

/** Log entries read per round trip. */
const PAGE = 512;
/** Live notifications that may wait behind a catch-up; past it they are refused (and reported), not kept. */
const MAX_WAITING = 10_000;

/**
 * Delivers to a shared legacy session whose home died what the cluster log
 * kept for it after `after` (PROTOCOL.md §shared-sessions), then what
 * reached it live meanwhile, in log order: a notification arriving live
 * while the log is read waits. Afterwards, a live one the log already gave
 * is skipped by its entry id (the bus brings it on another connection than
 * the read, so it may come later); `done` is called at the first one past
 * the read, after which the bus's order is the log's. The connection hands
 * it every delivery until then. Only a broadcast with a `filter` reaches a
 * shared session without passing through the log (it stays on its node):
 * one that arrives meanwhile is written after the log's.
 */
export class CatchUp {
  readonly #target: CatchUpTarget;
  readonly #done: () => void;
  /** Live deliveries while the log is read; undefined once it was. */
  #waiting: Array<{ readonly outbound: Outbound; readonly entry: string | undefined }> | undefined = [];
  /** The last entry the log gave. */
  #last: string;

  constructor(
    target: CatchUpTarget,
    after: string,
    read: { readonly link: ClusterLink; readonly allows: (method: string) => boolean; readonly report: DiagnosticHandler },
    done: () => void,
  ) {
    this.#target = target;
    this.#done = done;
    this.#last = after;
    void this.#run(read.link, read.allows, read.report);
  }

  /** A live delivery: waits behind the log's while it is read, then goes out unless the log gave it. */
  deliver(outbound: Outbound, entry: string | undefined): Promise<void> {
    const waiting = this.#waiting;
    if (waiting) {
      if (waiting.length >= MAX_WAITING) return Promise.reject(new TransportError(`more than ${MAX_WAITING} notifications waited while the session caught up with the cluster log`));
      waiting.push({ outbound, entry });
      return Promise.resolve();
    }
    if (entry !== undefined) {
      if (compareEntries(entry, this.#last) <= 0) return Promise.resolve();
      this.#done();
    }
    return this.#target.write(outbound, entry);
  }

  async #run(link: ClusterLink, allows: (method: string) => boolean, report: DiagnosticHandler): Promise<void> {
    const target = this.#target;
    const failed = (error: unknown): void => report({ kind: 'delivery-failed', recipientId: target.sessionId, method: 'catch-up', error });
    try {
      for (let first = true; ; first = false) {
        const page = await link.readLog(this.#last, PAGE);
        if (!page) break;
        if (first && page.gap) {
          report({ kind: 'cluster-error', step: 'catch-up', error: new Error(`the cluster log no longer holds all that session ${target.sessionId} missed after ${this.#last}: its bound dropped some`) });
        }
        for (const { entry, method, params, sessionId } of page.notifications) {
          const entitled = sessionId === undefined || sessionId === target.sessionId;
          // Written without waiting: the transport keeps the order of its calls.
          if (entitled && allows(method) && target.accepts(method, params)) target.write(prepareOutbound(method, params), entry).catch(failed);
        }
        if (page.last !== undefined) this.#last = page.last;
        // A short page reached the log's end after this node became the home: what follows comes live.
        if (!page.full) break;
      }
    } catch (error) {
      report({ kind: 'cluster-error', step: 'catch-up', error });
    }
    // What came live meanwhile, minus what the log already gave.
    const waiting = this.#waiting ?? [];
    this.#waiting = undefined;
    for (const { outbound, entry } of waiting) void this.deliver(outbound, entry).catch(failed);
  }
}

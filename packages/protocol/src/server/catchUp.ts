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
 * while the log is read waits, and one the log already delivered is
 * skipped by its entry id. The connection hands it every delivery until
 * `done` is called.
 */
export class CatchUp {
  readonly #waiting: Array<{ readonly outbound: Outbound; readonly entry: string | undefined }> = [];

  constructor(
    target: CatchUpTarget,
    after: string,
    read: { readonly link: ClusterLink; readonly allows: (method: string) => boolean; readonly report: DiagnosticHandler },
    done: () => void,
  ) {
    void this.#run(target, after, read.link, read.allows, read.report).finally(done);
  }

  /** A live delivery while catching up: queued behind the log's. */
  hold(outbound: Outbound, entry: string | undefined): Promise<void> {
    if (this.#waiting.length >= MAX_WAITING) return Promise.reject(new TransportError(`more than ${MAX_WAITING} notifications waited while the session caught up with the cluster log`));
    this.#waiting.push({ outbound, entry });
    return Promise.resolve();
  }

  async #run(target: CatchUpTarget, after: string, link: ClusterLink, allows: (method: string) => boolean, report: DiagnosticHandler): Promise<void> {
    const failed = (error: unknown): void => report({ kind: 'delivery-failed', recipientId: target.sessionId, method: 'catch-up', error });
    let last = after;
    try {
      for (let first = true; ; first = false) {
        const page = await link.readLog(last, PAGE);
        if (!page) break;
        if (first && page.gap) {
          report({ kind: 'cluster-error', step: 'catch-up', error: new Error(`the cluster log no longer holds all that session ${target.sessionId} missed after ${after}: its bound dropped some`) });
        }
        for (const { entry, method, params, sessionId } of page.notifications) {
          const entitled = sessionId === undefined || sessionId === target.sessionId;
          // Written without waiting: the transport keeps the order of its calls.
          if (entitled && allows(method) && target.accepts(method, params)) target.write(prepareOutbound(method, params), entry).catch(failed);
        }
        if (page.last !== undefined) last = page.last;
        // A short page reached the log's end after this node became the home: what follows came live.
        if (!page.full) break;
      }
    } catch (error) {
      report({ kind: 'cluster-error', step: 'catch-up', error });
    }
    // What came live meanwhile, minus what the log already gave.
    for (const { outbound, entry } of this.#waiting.splice(0)) {
      if (entry === undefined || compareEntries(entry, last) > 0) target.write(outbound, entry).catch(failed);
    }
  }
}

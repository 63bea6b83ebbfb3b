import type { Clock, TimerHandle, Transport, TransportSink } from '@tidings/protocol';

/** A timer armed while the gate was held: started, with its whole duration, once the gate opens. */
class HeldTimer {
  inner: TimerHandle | undefined;
  constructor(
    readonly callback: () => void,
    readonly ms: number,
  ) {}
}

/**
 * Keeps a stdio server's start-up out of the core client's timeouts: while
 * the gate is held (from spawning the child until its first byte on stdout),
 * the timers the client arms wait, and each starts with its full duration
 * when the gate opens. The one that matters is the 5 s `server/discover`
 * probe (PROTOCOL.md §negotiation): counted from the spawn, a server that
 * takes longer to start was taken for a legacy one.
 *
 * Made once per link; `clock` is the client's clock for all its connections.
 */
export class StartupGate {
  readonly #base: Clock;
  #held: Set<HeldTimer> | undefined;
  /** The client's clock: the link's (or the system) clock, with timers held while the gate is. */
  readonly clock: Clock;

  constructor(base: Clock) {
    this.#base = base;
    this.clock = {
      now: () => base.now(),
      setTimeout: (callback, ms) => {
        if (!this.#held) return base.setTimeout(callback, ms);
        const timer = new HeldTimer(callback, ms);
        this.#held.add(timer);
        return timer;
      },
      clearTimeout: (handle) => {
        if (!(handle instanceof HeldTimer)) return base.clearTimeout(handle);
        this.#held?.delete(handle);
        if (handle.inner !== undefined) base.clearTimeout(handle.inner);
      },
    };
  }

  /** Called by the link before it spawns a stdio server: timers armed from now on wait for {@link open}. */
  hold(): void {
    this.#held ??= new Set();
  }

  /** Called on the child's first byte (or when the link stops waiting for it): held timers start now. */
  open(): void {
    const held = this.#held;
    this.#held = undefined;
    for (const timer of held ?? []) timer.inner = this.#base.setTimeout(timer.callback, timer.ms);
  }

  /** Wraps a transport so that the first message it delivers opens the gate; everything else passes through. */
  watch<T extends Transport>(transport: T): T {
    return new Proxy(transport, {
      get: (target, key) => {
        if (key === 'start') return (sink: TransportSink) => target.start(this.#openingSink(sink));
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  #openingSink(sink: TransportSink): TransportSink {
    return {
      message: (data) => {
        this.open();
        sink.message(data);
      },
      closed: (reason) => sink.closed(reason),
      error: (error) => sink.error(error),
    };
  }
}

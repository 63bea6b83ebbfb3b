import type { Clock } from '@tidings/protocol';
import { describe, expect, it } from 'vitest';
import { StartupGate } from '../src/startupGate.js';

/** A clock whose timers fire only when the test says; `armed` lists them as [ms, fire]. */
function manualClock(): Clock & { armed: Map<number, [number, () => void]> } {
  let next = 0;
  const armed = new Map<number, [number, () => void]>();
  return {
    armed,
    now: () => 0,
    setTimeout: (fn, ms) => {
      armed.set(++next, [ms, fn]);
      return next;
    },
    clearTimeout: (handle) => void armed.delete(handle as number),
  };
}

describe('StartupGate', () => {
  it('holds the timers armed before the child spoke and starts each with its full duration on open', () => {
    const base = manualClock();
    const gate = new StartupGate(base);
    gate.hold();
    const fired: string[] = [];
    gate.clock.setTimeout(() => fired.push('probe'), 5000);
    const cleared = gate.clock.setTimeout(() => fired.push('cleared'), 10);
    gate.clock.clearTimeout(cleared);
    expect(base.armed.size).toBe(0);

    gate.open();
    expect([...base.armed.values()].map(([ms]) => ms)).toEqual([5000]);
    for (const [, fire] of base.armed.values()) fire();
    expect(fired).toEqual(['probe']);

    // Open: timers go straight to the base clock, and clearing a started held timer clears it there.
    const direct = gate.clock.setTimeout(() => {}, 7);
    expect(base.armed.get(direct as number)?.[0]).toBe(7);
    gate.hold();
    const held = gate.clock.setTimeout(() => {}, 3);
    gate.open();
    expect(base.armed.size).toBe(3);
    gate.clock.clearTimeout(held);
    expect(base.armed.size).toBe(2);
  });

  it('opens on the first message the watched transport delivers, and passes the rest through', async () => {
    const gate = new StartupGate(manualClock());
    const delivered: unknown[] = [];
    const transport = gate.watch({
      kind: 'stdio',
      pid: 42,
      start(sink) {
        gate.clock.setTimeout(() => {}, 1);
        expect(delivered).toEqual([]);
        sink.message('{"first":1}');
      },
      send: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
    gate.hold();
    expect(transport.pid).toBe(42);
    await transport.start({ message: (data) => delivered.push(data), closed: () => {}, error: () => {} });
    expect(delivered).toEqual(['{"first":1}']);
    // Held until the message, started by it.
    const held = gate.clock.setTimeout(() => {}, 1);
    expect(typeof held).toBe('number');
  });
});

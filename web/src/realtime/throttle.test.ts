import { describe, expect, it } from 'vitest';
import { EventDeduper } from './dedupe';
import { ManualTimers } from './manualTimers';
import { throttle } from './throttle';

describe('throttle', () => {
  it('runs the first call at once and a burst as one trailing call', () => {
    const timers = new ManualTimers();
    let calls = 0;
    const f = throttle(() => calls++, 500, timers);
    f();
    expect(calls).toBe(1);
    for (let i = 0; i < 100; i++) f();
    expect(calls).toBe(1);
    timers.advance(499);
    expect(calls).toBe(1);
    timers.advance(1);
    expect(calls).toBe(2);
    timers.advance(1000);
    expect(calls).toBe(2);
  });

  it('runs a call after a quiet interval immediately', () => {
    const timers = new ManualTimers();
    let calls = 0;
    const f = throttle(() => calls++, 500, timers);
    f();
    timers.advance(600);
    f();
    expect(calls).toBe(2);
  });

  it('cancel drops the trailing call; flush runs it now', () => {
    const timers = new ManualTimers();
    let calls = 0;
    const f = throttle(() => calls++, 500, timers);
    f();
    f();
    f.cancel();
    timers.advance(1000);
    expect(calls).toBe(1);
    f();
    f();
    f.flush();
    expect(calls).toBe(3);
  });
});

describe('EventDeduper', () => {
  it('accepts each id once, in increasing order', () => {
    const d = new EventDeduper();
    expect([5, 6, 6, 4, 7].map((id) => d.accept(id))).toEqual([true, true, false, false, true]);
    expect(d.lastId).toBe(7);
  });

  it('after a reset, skips what the refetch covered', () => {
    const d = new EventDeduper();
    d.accept(3);
    d.resetTo(10);
    expect(d.accept(9)).toBe(false);
    expect(d.accept(11)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../src/engines/clock.js';

describe('VirtualClock', () => {
  it('fires timers in due order, ties in the order they were set, only when time is advanced', async () => {
    const clock = new VirtualClock({ start: 100 });
    const fired: string[] = [];
    void clock.sleep(30).then(() => fired.push(`a@${clock.now()}`));
    void clock.sleep(10).then(() => fired.push(`b@${clock.now()}`));
    void clock.sleep(10).then(() => fired.push(`c@${clock.now()}`));
    await clock.advance(5);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(105);
    await clock.advance(25);
    expect(fired).toEqual(['b@110', 'c@110', 'a@130']);
    expect(clock.now()).toBe(130);
  });

  it('lets woken code sleep again within the same advance', async () => {
    const clock = new VirtualClock();
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(100);
    expect(ticks).toEqual([10, 20, 30]);
  });

  it('resolves false at once when the signal aborts, and true for zero or negative sleeps', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const pending = clock.sleep(1000, controller.signal);
    expect(clock.pendingTimers).toBe(1);
    controller.abort();
    await expect(pending).resolves.toBe(false);
    expect(clock.pendingTimers).toBe(0);
    await expect(clock.sleep(0)).resolves.toBe(true);
    await expect(clock.sleep(-5)).resolves.toBe(true);
    await expect(clock.sleep(10, controller.signal)).resolves.toBe(false);
  });

  it('never fires an infinite sleep, even when asked to run everything', async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const controller = new AbortController();
    let woke: boolean | undefined;
    void clock.sleep(Number.POSITIVE_INFINITY, controller.signal).then((r) => {
      woke = r;
    });
    expect(await clock.runAll()).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(woke).toBeUndefined();
    controller.abort();
    await Promise.resolve();
    expect(woke).toBe(false);
  });

  it('advances by itself to the next timer when auto-advance is on', async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const started = Date.now();
    await clock.sleep(60_000);
    expect(clock.now()).toBe(60_000);
    await clock.sleep(1);
    expect(clock.now()).toBe(60_001);
    expect(Date.now() - started).toBeLessThan(1000);
    clock.stopAutoAdvance();
  });
});

describe('RealClock', () => {
  it('sleeps for real and clears its timer when the signal aborts', async () => {
    const clock = new RealClock();
    const t0 = clock.now();
    await expect(clock.sleep(20)).resolves.toBe(true);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(19);
    const controller = new AbortController();
    const pending = clock.sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 5);
    const t1 = clock.now();
    await expect(pending).resolves.toBe(false);
    expect(clock.now() - t1).toBeLessThan(1000);
  });
});

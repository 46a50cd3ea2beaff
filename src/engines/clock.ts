/**
 * Time, injectable. The mock engine never reads the wall clock or calls `setTimeout` itself: it asks a
 * {@link Clock}. Production uses {@link RealClock}; tests use a {@link VirtualClock}, where time moves only
 * when the test (or the clock's auto-advance) says so, which makes every timing exact and every run equal.
 */

/** Milliseconds, monotonic, with a sleep that an `AbortSignal` cuts short. */
export interface Clock {
  /** Milliseconds since an arbitrary origin; never goes backwards. */
  now(): number;
  /**
   * Resolves `true` once `ms` milliseconds have passed, or `false` as soon as `signal` aborts (at once if it
   * already has). `ms <= 0` resolves `true` without waiting; `Infinity` waits for the signal only.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
  /**
   * Like {@link Clock.sleep}, until `now()` reaches `deadline`. A virtual clock then reads exactly
   * `deadline`, with no float error from adding a difference back.
   */
  sleepUntil(deadline: number, signal?: AbortSignal): Promise<boolean>;
}

/**
 * Real time: `performance.now()` and `setTimeout`. A pending sleep keeps the process alive, as any timer
 * would; aborting its signal clears the timer at once, so an engine that aborts everything on `close()`
 * leaves nothing behind.
 */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (!(ms > 0)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(false);
      };
      const timer =
        ms === Number.POSITIVE_INFINITY
          ? undefined
          : setTimeout(() => {
              signal?.removeEventListener('abort', onAbort);
              resolve(true);
            }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  sleepUntil(deadline: number, signal?: AbortSignal): Promise<boolean> {
    return this.sleep(deadline - this.now(), signal);
  }
}

/** The shared real clock. */
export const realClock: Clock = new RealClock();

interface VirtualTimer {
  readonly due: number;
  readonly seq: number;
  readonly resolve: (elapsed: boolean) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export interface VirtualClockOptions {
  /** Initial reading of `now()`; 0 by default. */
  readonly start?: number;
  /**
   * Jump to the next timer whenever the process is otherwise idle (checked with `setImmediate`, after all
   * pending promise callbacks ran). Tests can then just consume a stream and read `now()` at each chunk.
   * Off by default: time moves only through {@link VirtualClock.advance}.
   */
  readonly autoAdvance?: boolean;
}

/**
 * A clock whose time moves only on request. Timers fire in due order (ties in the order they were set),
 * each after the callbacks of the previous one have run, so the interleaving of concurrent sleepers is the
 * same on every run.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: VirtualTimer[] = [];
  #auto: boolean;
  #autoPending: ReturnType<typeof setImmediate> | undefined;

  constructor(options: VirtualClockOptions = {}) {
    this.#now = options.start ?? 0;
    this.#auto = options.autoAdvance ?? false;
  }

  now(): number {
    return this.#now;
  }

  /** Sleeps that have neither elapsed nor been aborted (infinite ones included). */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    return this.sleepUntil(this.#now + ms, signal);
  }

  sleepUntil(deadline: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (!(deadline > this.#now)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer: VirtualTimer = {
        due: deadline,
        seq: this.#seq++,
        resolve,
        signal,
        onAbort: () => {
          this.#remove(timer);
          resolve(false);
        },
      };
      signal?.addEventListener('abort', timer.onAbort, { once: true });
      this.#timers.push(timer);
      this.#timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      this.#scheduleAuto();
    });
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in order, and letting the
   * code each one wakes run (until it sleeps again or settles) before the next fires.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.due > target) break;
      this.#fire(next);
      await settle();
    }
    this.#now = Math.max(this.#now, target);
  }

  /**
   * Fires timers (in order) until none with a finite due time is left, or `maxTimers` fired. Returns how
   * many fired.
   */
  async runAll(maxTimers = 100_000): Promise<number> {
    let fired = 0;
    await settle();
    while (fired < maxTimers) {
      const next = this.#timers[0];
      if (next === undefined || next.due === Number.POSITIVE_INFINITY) break;
      this.#fire(next);
      fired++;
      await settle();
    }
    return fired;
  }

  /** Stops auto-advancing (pending timers stay pending). */
  stopAutoAdvance(): void {
    this.#auto = false;
    if (this.#autoPending !== undefined) clearImmediate(this.#autoPending);
    this.#autoPending = undefined;
  }

  #fire(timer: VirtualTimer): void {
    this.#remove(timer);
    this.#now = Math.max(this.#now, timer.due);
    timer.signal?.removeEventListener('abort', timer.onAbort);
    timer.resolve(true);
  }

  #remove(timer: VirtualTimer): void {
    const i = this.#timers.indexOf(timer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  #scheduleAuto(): void {
    if (!this.#auto || this.#autoPending !== undefined) return;
    this.#autoPending = setImmediate(() => {
      this.#autoPending = undefined;
      const next = this.#timers[0];
      if (!this.#auto || next === undefined || next.due === Number.POSITIVE_INFINITY) return;
      this.#fire(next);
      if (this.#timers.length > 0) this.#scheduleAuto();
    });
  }
}

/** Lets every pending promise callback (and anything they chain) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

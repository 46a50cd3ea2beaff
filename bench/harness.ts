/**
 * The measuring machinery shared by every suite: timed loops with calibration and warm-up, repeated samples
 * summarised as median and min, forced GC before scrape and heap measurements, a sink that keeps results
 * alive so V8 cannot drop the work, and interleaving of the libraries' samples so that a slow patch of the
 * machine hits both sides instead of one.
 *
 * Loops are written out in the suites, one function literal per case and side. V8 shares feedback and
 * optimised code between closures created from the same literal, so a generic `for (...) fn()` wrapper
 * would measure a megamorphic call instead of the library.
 */
import { performance } from 'node:perf_hooks';

/** Summary of repeated samples of one measure. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Every sample, in the order taken. */
  readonly samples: readonly number[];
}

export function summarize(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], mean, samples: [...samples] };
}

// ---------------------------------------------------------------------------------------------------------
// Sink

const SINK: { value: unknown; count: number } = { value: undefined, count: 0 };

/** Keeps `value` reachable from a global so the computation that produced it cannot be eliminated. */
export function consume(value: unknown): void {
  SINK.value = value;
  SINK.count++;
}

// ---------------------------------------------------------------------------------------------------------
// GC and heap

const gcFn: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** True when the process runs with `--expose-gc`. */
export const canForceGc = typeof gcFn === 'function';

/** Runs a full GC (twice, so that weak references and finalizers settle). No-op without `--expose-gc`. */
export function forceGc(): void {
  if (gcFn === undefined) return;
  gcFn();
  gcFn();
}

/** Used heap bytes after a forced GC. */
export function heapUsedAfterGc(): number {
  forceGc();
  return process.memoryUsage().heapUsed;
}

// ---------------------------------------------------------------------------------------------------------
// Timed loops

/** A loop that performs `iterations` operations and returns something to consume. */
export type Loop = (iterations: number) => unknown;

/** Nanoseconds per operation of one call of `loop`. */
export function timeLoop(loop: Loop, iterations: number): number {
  const t0 = process.hrtime.bigint();
  const out = loop(iterations);
  const t1 = process.hrtime.bigint();
  consume(out);
  return Number(t1 - t0) / iterations;
}

/**
 * Finds an iteration count for which one call of `loop` takes about `sampleMs`; the calls it makes along
 * the way warm the loop up (interpreter, baseline, OSR, then the optimised function itself).
 */
export function calibrate(loop: Loop, sampleMs: number): number {
  let n = 1000;
  for (;;) {
    const nsPerOp = timeLoop(loop, n);
    const ms = (nsPerOp * n) / 1e6;
    if (ms >= sampleMs / 4 || n >= 1 << 30) {
      return Math.max(1000, Math.min(1 << 30, Math.round((sampleMs * 1e6) / Math.max(nsPerOp, 1e-3))));
    }
    n *= ms < sampleMs / 100 ? 10 : 2;
  }
}

export interface OpOptions {
  /** Timed samples per side. */
  readonly repetitions: number;
  /** Target duration of one sample, in milliseconds; sets the iteration count. */
  readonly sampleMs: number;
  /** Warm-up calls of each loop at the calibrated iteration count, after calibration. */
  readonly warmupRounds?: number;
}

/**
 * Measures several sides (libraries, or a plain-JS floor) of one operation in ns/op. Every side is
 * calibrated and warmed up first; then the samples are taken round by round, each round visiting the
 * sides in a rotated order, so drift in machine speed spreads over all of them.
 */
export function compareOps<K extends string>(
  sides: Readonly<Record<K, Loop>>,
  options: OpOptions,
): Record<K, Stats> {
  const keys = Object.keys(sides) as K[];
  const iterations = {} as Record<K, number>;
  for (const k of keys) iterations[k] = calibrate(sides[k], options.sampleMs);
  for (let r = 0; r < (options.warmupRounds ?? 1); r++) {
    for (const k of keys) timeLoop(sides[k], iterations[k]);
  }
  const samples = {} as Record<K, number[]>;
  for (const k of keys) samples[k] = [];
  for (let r = 0; r < options.repetitions; r++) {
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(r + j) % keys.length];
      samples[k].push(timeLoop(sides[k], iterations[k]));
    }
  }
  const out = {} as Record<K, Stats>;
  for (const k of keys) out[k] = summarize(samples[k]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Scrapes (whole, possibly async, operations in milliseconds)

/**
 * Makes `text` a flat string and returns it. A string built with `+=` is a rope (a tree of cons strings);
 * whoever sends it (`res.end`, `Buffer.from`) must flatten it first, and that copy can cost more than
 * building the rope did. Timed scrapes call this so that cost is charged to the scrape that caused it. On
 * a string that is already flat (`Array#join`, prom-client's output) it costs nothing.
 */
export function flatten(text: string): string {
  // charCodeAt on a cons string makes V8 flatten it in place (String::Flatten).
  consume(text.charCodeAt(text.length >> 1));
  return text;
}

/** One scrape: returns the exposition (a string) or a promise of it. */
export type Scrape = () => string | Promise<string>;

export interface ScrapeOptions {
  /** Timed scrapes per side. */
  readonly repetitions: number;
  /** Untimed scrapes per side before timing. */
  readonly warmup: number;
}

export interface ScrapeStats extends Stats {
  /** The output of the last scrape. */
  readonly output: string;
}

/**
 * Times whole scrapes in ms, output flattened (see {@link flatten}), forcing a GC before each one so that
 * garbage left by the previous scrape (or the other library) is not collected on this one's clock. Sides
 * are visited in a rotated order every round.
 */
export async function compareScrapes<K extends string>(
  sides: Readonly<Record<K, Scrape>>,
  options: ScrapeOptions,
): Promise<Record<K, ScrapeStats>> {
  const keys = Object.keys(sides) as K[];
  const outputs = {} as Record<K, string>;
  for (let r = 0; r < options.warmup; r++) {
    for (const k of keys) outputs[k] = await sides[k]();
  }
  const samples = {} as Record<K, number[]>;
  for (const k of keys) samples[k] = [];
  for (let r = 0; r < options.repetitions; r++) {
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(r + j) % keys.length];
      forceGc();
      const t0 = performance.now();
      const out = flatten(await sides[k]());
      samples[k].push(performance.now() - t0);
      outputs[k] = out;
    }
  }
  const result = {} as Record<K, ScrapeStats>;
  for (const k of keys) result[k] = { ...summarize(samples[k]), output: outputs[k] };
  return result;
}

/** Times `fn` (synchronous) `repetitions` times after a forced GC each, in ms. */
export function timeRepeated(fn: () => unknown, repetitions: number): Stats {
  const samples: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    forceGc();
    const t0 = performance.now();
    consume(fn());
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

// ---------------------------------------------------------------------------------------------------------
// Event loop

export interface EventLoopCheck {
  /** Duration of the scrape, in ms. */
  readonly scrapeMs: number;
  /** Whether a `setImmediate` scheduled just before the scrape ran before the scrape finished. */
  readonly immediateFiredDuringScrape: boolean;
  /** Time from scheduling the `setImmediate` to its callback, in ms: how long the loop was held. */
  readonly immediateDelayMs: number;
  readonly output: string;
}

/**
 * Schedules a `setImmediate` and starts the scrape at once; reports whether the callback got to run
 * before the scrape completed (it can only if the scrape yields to the event loop).
 */
export async function checkEventLoop(scrape: Scrape): Promise<EventLoopCheck> {
  forceGc();
  let firedAt = -1;
  const t0 = performance.now();
  const fired = new Promise<void>((resolve) =>
    setImmediate(() => {
      firedAt = performance.now();
      resolve();
    }),
  );
  const output = flatten(await scrape());
  const t1 = performance.now();
  const during = firedAt >= 0 && firedAt <= t1;
  await fired;
  return {
    scrapeMs: t1 - t0,
    immediateFiredDuringScrape: during,
    immediateDelayMs: firedAt - t0,
    output,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Heap

export interface HeapSample {
  /** Heap growth after building, in bytes. */
  readonly built: number;
  /** Heap growth after building and then running `after` once (e.g. one scrape), in bytes. */
  readonly afterStep: number;
}

/**
 * Heap growth caused by `build()`, measured after forced GCs, and again after `after(value)` has run once
 * with its result dropped. The built value is released before this returns, so the next measurement's
 * baseline does not depend on when the caller lets go of it. Needs `--expose-gc` to mean anything.
 */
export async function measureHeap<T>(
  build: () => T,
  after: (value: T) => unknown | Promise<unknown>,
): Promise<HeapSample> {
  const holder: { value: T | undefined } = { value: undefined };
  const before = heapUsedAfterGc();
  holder.value = build();
  const built = heapUsedAfterGc() - before;
  await runAndDrop(after, holder.value);
  const afterStep = heapUsedAfterGc() - before;
  holder.value = undefined;
  return { built, afterStep };
}

/**
 * Runs `step` and drops its result inside a frame that has returned by the time the heap is measured: a
 * result held in the caller's own frame (an interpreter register) would stay reachable and be counted.
 */
async function runAndDrop<T>(step: (value: T) => unknown | Promise<unknown>, value: T): Promise<void> {
  consume(await step(value));
  consume(undefined);
}

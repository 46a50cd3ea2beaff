/**
 * The combined scrape of a level (reference spec §3.1, with its flaws fixed): walk the registry tree
 * depth-first, run every update callback (each isolated and bounded by a timeout), gather every registry,
 * run the exposition-text callbacks and *parse* their text into the same family model, then merge all of
 * it (see {@link mergeFamilies}). A conflicting family, a duplicate series, or a callback that throws,
 * hangs, returns something other than text, too much text or text that does not parse, is dropped alone and
 * reported; everything else is still served.
 */
import { type FamilySource, type MergeDrop, mergeFamilies } from '../core/merge.js';
import type { MetricFamily } from '../core/model.js';
import { ExpositionParseError, parseExposition } from '../expfmt/parser.js';
import type { MetricsRegistry, NamedCallback } from './metrics-registry.js';
import type { ScrapeSettings } from './scrape-settings.js';

/** `update` and `expfmt` callbacks, and `engine` metric sources (which are families callbacks). */
export const CALLBACK_KINDS = ['update', 'expfmt', 'engine'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];
/**
 * Why a callback was dropped: it threw or rejected, ran past its timeout, returned something that is not
 * text, too much text, text that does not parse, bytes that are not UTF-8, or (engines reached over HTTP)
 * an HTTP error.
 */
export const CALLBACK_FAILURE_CAUSES = [
  'error',
  'timeout',
  'not_text',
  'too_large',
  'parse_error',
  'invalid_utf8',
  'http_error',
] as const;
export type CallbackFailureCause = (typeof CALLBACK_FAILURE_CAUSES)[number];

/** An error that says why a source failed, so the failure is counted under that cause. */
export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    readonly failureCause: CallbackFailureCause,
    message: string,
  ) {
    super(message);
  }
}

/** What a scrape reports as it goes; the runtime turns these into self-metrics and rate-limited logs. */
export interface ScrapeObserver {
  callbackFailed(kind: CallbackKind, cause: CallbackFailureCause, callback: string, detail: string): void;
  dropped(drop: MergeDrop): void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; cause: CallbackFailureCause; detail: string };

function failure<T>(e: unknown): Outcome<T> {
  if (e instanceof SourceError) return { ok: false, cause: e.failureCause, detail: e.message };
  if (e instanceof ExpositionParseError) return { ok: false, cause: 'parse_error', detail: e.message };
  return { ok: false, cause: 'error', detail: e instanceof Error ? e.message : String(e) };
}

/** Runs `fn`, catching what it throws or rejects with, and giving up after `timeoutMs`. */
export async function runIsolated<T>(fn: () => T | Promise<T>, timeoutMs: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = fn();
    if (!(value instanceof Promise)) return { ok: true, value };
    const timeout = new Promise<Outcome<T>>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, cause: 'timeout', detail: `no result after ${timeoutMs} ms` }),
        timeoutMs,
      );
    });
    // The rejection handler matters even after a timeout: a late rejection must not become unhandled.
    const settled = value.then((v): Outcome<T> => ({ ok: true, value: v }), failure<T>);
    return await Promise.race([settled, timeout]);
  } catch (e) {
    return failure<T>(e);
  } finally {
    clearTimeout(timer);
  }
}

/** OpenMetrics text ends with `# EOF`; anything else is read as the text format 0.0.4. */
function syntaxOf(text: string): 'text' | 'openmetrics' {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x20)) end--;
  return text.endsWith('# EOF', end) ? 'openmetrics' : 'text';
}

/** Runs one exposition-text callback and parses what it returns; undefined when it failed (and was reported). */
async function callbackFamilies(
  cb: NamedCallback<() => string | Promise<string>>,
  settings: ScrapeSettings,
  observer: ScrapeObserver,
): Promise<MetricFamily[] | undefined> {
  const outcome = await runIsolated(cb.fn, settings.callbackTimeoutMs);
  if (!outcome.ok) {
    observer.callbackFailed('expfmt', outcome.cause, cb.name, outcome.detail);
    return undefined;
  }
  const text = outcome.value;
  if (typeof text !== 'string') {
    observer.callbackFailed(
      'expfmt',
      'not_text',
      cb.name,
      `returned ${text === null ? 'null' : typeof text}, not a string`,
    );
    return undefined;
  }
  if (text.length > settings.maxCallbackChars) {
    observer.callbackFailed(
      'expfmt',
      'too_large',
      cb.name,
      `returned ${text.length} characters, over the limit of ${settings.maxCallbackChars}`,
    );
    return undefined;
  }
  try {
    return parseExposition(text, { syntax: syntaxOf(text) });
  } catch (e) {
    if (!(e instanceof ExpositionParseError)) throw e;
    observer.callbackFailed('expfmt', 'parse_error', cb.name, e.message);
    return undefined;
  }
}

/** The combined scrape of `root` and everything below it, families sorted by name. */
export async function combinedScrape(
  root: MetricsRegistry,
  settings: ScrapeSettings,
  observer: ScrapeObserver,
): Promise<MetricFamily[]> {
  const registries = root.walk();
  for (const r of registries) {
    for (const cb of r.updateCallbacks) {
      const outcome = await runIsolated(cb.fn, settings.callbackTimeoutMs);
      if (!outcome.ok) observer.callbackFailed('update', outcome.cause, cb.name, outcome.detail);
    }
  }
  const sources: FamilySource[] = registries.map((r) => ({
    families: r.registry.gather(),
    origin: `registry ${r.describe()}`,
  }));
  const texts = registries.flatMap((r) => r.expfmtCallbacks);
  const engines = registries.flatMap((r) => r.familiesCallbacks);
  const results = await Promise.all([
    ...texts.map((cb) => callbackFamilies(cb, settings, observer)),
    ...engines.map(async (cb) => {
      const outcome = await runIsolated(cb.fn, settings.callbackTimeoutMs);
      if (outcome.ok) return outcome.value;
      observer.callbackFailed('engine', outcome.cause, cb.name, outcome.detail);
      return undefined;
    }),
  ]);
  const names = [...texts, ...engines].map((cb) => cb.name);
  results.forEach((families, i) => {
    if (families !== undefined) sources.push({ families, origin: names[i] });
  });
  return mergeFamilies(sources, (drop) => observer.dropped(drop));
}

/**
 * Exposition formats as values: a content type, a per-family writer and a trailer. Everything that serves
 * or stores an exposition picks one of these (usually through {@link negotiate}) and never special-cases
 * the format again.
 */
import type { MetricFamily } from '../core/model.js';
import { type OpenMetricsOptions, writeOpenMetricsFamily } from './openmetrics-writer.js';
import { writeTextFamily } from './text-writer.js';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const OPENMETRICS_0_0_1_CONTENT_TYPE = 'application/openmetrics-text; version=0.0.1; charset=utf-8';

export interface ExpositionFormat {
  /** `text` for 0.0.4, `openmetrics` for either OpenMetrics version. */
  readonly name: 'text' | 'openmetrics';
  readonly contentType: string;
  /**
   * Writes one family, or the slice of its series from `start` to `end` (only the slice at 0 carries the
   * metadata); the output of all families followed by `trailer` is the exposition.
   */
  writeFamily(family: MetricFamily, start?: number, end?: number): string;
  readonly trailer: string;
}

export const TEXT_FORMAT: ExpositionFormat = Object.freeze({
  name: 'text',
  contentType: TEXT_CONTENT_TYPE,
  writeFamily: writeTextFamily,
  trailer: '',
});

/** An OpenMetrics format, optionally with `_created` lines, answering with the given content type. */
export function openMetricsFormat(
  options: OpenMetricsOptions = {},
  contentType: string = OPENMETRICS_CONTENT_TYPE,
): ExpositionFormat {
  return Object.freeze({
    name: 'openmetrics',
    contentType,
    writeFamily: (family: MetricFamily, start?: number, end?: number) =>
      writeOpenMetricsFamily(family, options, start, end),
    trailer: '# EOF\n',
  });
}

export const OPENMETRICS_FORMAT: ExpositionFormat = openMetricsFormat();

/**
 * Characters of text gathered before it is flattened (see {@link writeExposition}); below this, an
 * exposition is never flattened here, so small and medium scrapes pay nothing for it.
 */
const FLATTEN_CHUNK = 1 << 21;

/**
 * Writes a whole exposition of `families` (already in the order they should appear).
 *
 * Text built with `+=` is a rope in V8: a tree of a few nodes per sample, cheap to build, flattened by
 * whoever sends it. In a large exposition that tree outlives young-generation collections, which copy it
 * again each time, and it is slow to walk. So every {@link FLATTEN_CHUNK} characters the text gathered so
 * far is flattened while its nodes are still young: a 100k-series scrape took about half the time.
 */
export function writeExposition(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat = TEXT_FORMAT,
): string {
  let out = '';
  let chunk = '';
  for (const family of families) {
    chunk += format.writeFamily(family);
    if (chunk.length >= FLATTEN_CHUNK) {
      // Reading a character makes V8 flatten the rope in place (String::Flatten); the result is unused.
      chunk.charCodeAt(0);
      out += chunk;
      chunk = '';
    }
  }
  return out + chunk + format.trailer;
}

/** Series written between two checks of the clock in {@link expositionPieces}. */
const SLICE_SERIES = 1000;

/**
 * The text of an exposition in pieces, each about `sliceMs` of writing (the last with the trailer), so a
 * caller can hand the event loop back between two pieces. The clock restarts when the caller asks for the
 * next piece.
 */
function* expositionPieces(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat,
  sliceMs: number,
): Generator<string> {
  let piece = '';
  let since = performance.now();
  for (const family of families) {
    const n = family.series.length;
    for (let start = 0; start === 0 || start < n; start += SLICE_SERIES) {
      piece += format.writeFamily(family, start, Math.min(n, start + SLICE_SERIES));
      if (performance.now() - since >= sliceMs) {
        yield piece;
        piece = '';
        since = performance.now();
      }
    }
  }
  yield piece + format.trailer;
}

/** Writers waiting for their next slice, oldest first. */
const waiting: (() => void)[] = [];
let turnScheduled = false;

function runNextSlice(): void {
  turnScheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) {
    turnScheduled = true;
    setImmediate(runNextSlice);
  }
}

/**
 * Resolves on a later turn of the event loop, one waiting writer per turn, in turn. With a plain
 * `setImmediate` per writer, 16 concurrent scrapes would each run a slice in the same turn and hold the
 * loop for 16 slices; taking turns, I/O is served between any two slices and the scrapes share the CPU
 * fairly.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!turnScheduled) {
      turnScheduled = true;
      setImmediate(runNextSlice);
    }
  });
}

/**
 * Writes an exposition like {@link writeExposition}, but hands the event loop back whenever it has been
 * busy for `sliceMs`, so a scrape of a hundred thousand series does not stall request handling. Values
 * read after a pause may be newer than those read before it, as with any scrape of live metrics.
 */
export async function writeExpositionSliced(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat = TEXT_FORMAT,
  sliceMs = 5,
): Promise<string> {
  let out = '';
  await writeInTurns(families, format, sliceMs, (piece) => {
    out += piece;
  });
  return out;
}

/** Hands each piece of the exposition to `take`, then waits for this writer's next turn. */
async function writeInTurns(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat,
  sliceMs: number,
  take: (piece: string) => void,
): Promise<void> {
  for (const piece of expositionPieces(families, format, sliceMs)) {
    take(piece);
    await nextTurn();
  }
}

/**
 * Writes an exposition as UTF-8 bytes, yielding like {@link writeExpositionSliced}. Each piece is encoded
 * as soon as it is written: encoding the whole text at the end would flatten and copy a 16 MB string
 * (100k series) in one go, holding the event loop for 50 to 150 ms.
 */
export async function writeExpositionBytes(
  families: Iterable<MetricFamily>,
  format: ExpositionFormat = TEXT_FORMAT,
  sliceMs = 5,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await writeInTurns(families, format, sliceMs, (piece) => chunks.push(Buffer.from(piece)));
  return Buffer.concat(chunks);
}

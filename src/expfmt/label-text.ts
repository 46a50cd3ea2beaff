/**
 * Label text of sample lines. A registry series carries its metric's {@link LabelLayout}; the static text
 * around its variable label values (`name{a="`, `",b="`, `",dynamo_component="backend"} `) is built once per
 * metric and sample name and kept in a cache, so writing a series only escapes its own values (usually a
 * no-op) and joins a few strings. Series without a layout (parsed text) get their label text built directly.
 */
import type { Label, LabelLayout, Series } from '../core/model.js';
import { escapeLabelValue } from './escape.js';

/** Static pieces of a label layout for one sample name; `slots[i]` goes between `pieces[i]` and `pieces[i+1]`. */
interface Segments {
  /** The sample name, and the extra label after a NUL when there is one. */
  readonly key: string;
  readonly pieces: readonly string[];
  readonly slots: readonly number[];
  /** The segments of the same layout for another key: a metric has at most a handful (`_total`, `_created`). */
  readonly next: Segments | undefined;
}

/**
 * Per layout, a short list of segments. A list rather than a `Map`: a `Map` costs ~170 bytes even with
 * one entry, which is ~2 bytes per series for a metric of 100 series.
 */
const segmentCache = new WeakMap<LabelLayout, Segments>();

function buildSegments(
  layout: LabelLayout,
  sampleName: string,
  extraLabel: string | undefined,
  key: string,
  next: Segments | undefined,
): Segments {
  const pieces: string[] = [];
  const slots: number[] = [];
  const entries = layout.layout;
  // Each piece is assembled from parts and joined once. Join returns one flat string; building it with +=
  // would leave a tree of concatenations (a V8 rope) that every scrape walks again on every line it writes.
  let parts: string[] = [sampleName, '{'];
  entries.forEach((e, i) => {
    if (i > 0) parts.push(',');
    parts.push(e.name, '="');
    if ('slot' in e) {
      pieces.push(parts.join(''));
      slots.push(e.slot);
      parts = ['"'];
    } else {
      parts.push(escapeLabelValue(e.label.value), '"');
    }
  });
  if (extraLabel !== undefined) {
    if (entries.length > 0) parts.push(',');
    parts.push(extraLabel, '="');
  } else if (entries.length === 0) {
    parts = [sampleName, ' '];
  } else {
    parts.push('} ');
  }
  pieces.push(parts.join(''));
  return { key, pieces, slots, next };
}

function segmentsOf(layout: LabelLayout, sampleName: string, extraLabel: string | undefined): Segments {
  const key = extraLabel === undefined ? sampleName : `${sampleName}\u0000${extraLabel}`;
  const first = segmentCache.get(layout);
  for (let s = first; s !== undefined; s = s.next) if (s.key === key) return s;
  const segments = buildSegments(layout, sampleName, extraLabel, key, first);
  segmentCache.set(layout, segments);
  return segments;
}

/** `a="x",b="y"`: label pairs as written inside braces (no braces). */
export function labelPairsText(labels: readonly Label[]): string {
  let out = '';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    out += `${i === 0 ? '' : ','}${l.name}="${escapeLabelValue(l.value)}"`;
  }
  return out;
}

/**
 * Builds the text before the values of one sample name for many series: `name{labels} `, or, with an
 * extra label, the open form `name{labels,le="` to which the writer appends the bound and `"} `.
 * It remembers the segments of the last layout seen, since the series of a family usually share one.
 */
export class SamplePrefixes {
  #layout: LabelLayout | undefined;
  #segments: Segments | undefined;

  constructor(
    readonly sampleName: string,
    readonly extraLabel?: 'le' | 'quantile',
  ) {}

  of(series: Series): string {
    const layout = series.labelLayout;
    if (layout === undefined || series.labelValue === undefined) return this.#fromLabels(series.labels);
    const { pieces, slots } = this.#segmentsFor(layout);
    let out = pieces[0];
    for (let i = 0; i < slots.length; i++)
      out += escapeLabelValue(series.labelValue(slots[i])) + pieces[i + 1];
    return out;
  }

  /**
   * The text of {@link of} as a flat string (one copy, no rope): cheaper for a prefix that is written on
   * many lines, like a histogram's bucket stem, because the final string is not a tree to walk per line.
   */
  flat(series: Series): string {
    const layout = series.labelLayout;
    if (layout === undefined || series.labelValue === undefined) return this.#fromLabels(series.labels);
    const { pieces, slots } = this.#segmentsFor(layout);
    const parts: string[] = [pieces[0]];
    for (let i = 0; i < slots.length; i++)
      parts.push(escapeLabelValue(series.labelValue(slots[i])), pieces[i + 1]);
    return parts.join('');
  }

  /** The segments of `layout`, remembered for the next series (the series of a family share one). */
  #segmentsFor(layout: LabelLayout): Segments {
    if (layout !== this.#layout) {
      this.#layout = layout;
      this.#segments = segmentsOf(layout, this.sampleName, this.extraLabel);
    }
    return this.#segments!;
  }

  #fromLabels(labels: readonly Label[]): string {
    const pairs = labelPairsText(labels);
    const name = this.sampleName;
    if (this.extraLabel !== undefined)
      return `${name}{${pairs}${pairs === '' ? '' : ','}${this.extraLabel}="`;
    return pairs === '' ? `${name} ` : `${name}{${pairs}} `;
  }
}

/**
 * Keeps the object shape of {@link SamplePrefixes} alive. Writers create instances per family and drop them
 * when the scrape ends; V8 holds the shapes (maps) an object goes through only weakly, so with no instance
 * left a full GC collects the shape and deoptimises every writer function compiled against it. The next
 * scrape then runs unoptimised code: a 10k-series text scrape right after a major GC measured ~9 ms instead
 * of ~1.8 ms. One long-lived instance prevents that. Not part of the public API.
 */
export const SHAPE_ANCHOR: SamplePrefixes = new SamplePrefixes('');

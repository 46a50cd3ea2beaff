/**
 * Content negotiation for `/metrics`, following Go's `expfmt.NegotiateIncludingOpenMetrics`: parse the
 * `Accept` header, order the media ranges by q (concrete types before wildcards on a tie), and take the
 * first one we can produce: `text/plain` with version 0.0.4 or none, `application/openmetrics-text` with
 * version 1.0.0, 0.0.1 or none. Anything else, including a missing or malformed header, falls back to text
 * 0.0.4, which every scraper understands. A range with `q=0` means "not acceptable" and is skipped.
 */
import {
  type ExpositionFormat,
  OPENMETRICS_0_0_1_CONTENT_TYPE,
  openMetricsFormat,
  TEXT_FORMAT,
} from './format.js';
import type { OpenMetricsOptions } from './openmetrics-writer.js';

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
  readonly order: number;
}

/** Most ranges looked at in one header; the rest are ignored so a hostile header costs little. */
const MAX_RANGES = 64;

/** Parses an `Accept` header into media ranges, best first. Malformed ranges are dropped. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (typeof header !== 'string' || header === '') return [];
  const ranges: MediaRange[] = [];
  const parts = header.split(',', MAX_RANGES);
  for (let order = 0; order < parts.length; order++) {
    const [mediaType, ...rawParams] = parts[order].split(';');
    const match = /^\s*([\w.+*-]+)\/([\w.+*-]+)\s*$/.exec(mediaType);
    if (match === null) continue;
    const params = new Map<string, string>();
    let q = 1;
    let valid = true;
    for (const raw of rawParams) {
      const eq = raw.indexOf('=');
      if (eq < 0) continue;
      const key = raw.slice(0, eq).trim().toLowerCase();
      const value = raw
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value) ? Number(value) : Number.NaN;
        if (Number.isNaN(q)) valid = false;
      } else {
        params.set(key, value);
      }
    }
    if (!valid || q === 0) continue;
    ranges.push({ type: match[1].toLowerCase(), subtype: match[2].toLowerCase(), params, q, order });
  }
  const specificity = (r: MediaRange) => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
  return ranges.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
}

/** Picks the exposition format for an `Accept` header. */
export function negotiate(accept: string | undefined, options: OpenMetricsOptions = {}): ExpositionFormat {
  for (const r of parseAccept(accept)) {
    const version = r.params.get('version');
    if (r.type === 'text' && r.subtype === 'plain' && (version === undefined || version === '0.0.4')) {
      return TEXT_FORMAT;
    }
    if (r.type === 'application' && r.subtype === 'openmetrics-text') {
      if (version === '1.0.0') return openMetricsFormat(options);
      if (version === undefined || version === '0.0.1') {
        return openMetricsFormat(options, OPENMETRICS_0_0_1_CONTENT_TYPE);
      }
    }
  }
  return TEXT_FORMAT;
}

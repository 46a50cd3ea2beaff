import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OPENMETRICS_0_0_1_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
  TEXT_FORMAT,
} from '../../src/expfmt/format.js';
import { negotiate, parseAccept } from '../../src/expfmt/negotiate.js';

const OM_1 = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OM_0_0_1 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';
const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** The content type negotiate picks for an Accept header. */
const pick = (accept: string | undefined) => negotiate(accept).contentType;

/** What Prometheus 2.42 sends, captured from a real scrape (reference §2.1). */
const PROMETHEUS_2_42 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Prometheus 3.x after 3.0.0: escaping only on the 1.0.0 text and OpenMetrics entries. */
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,' +
  'application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

/** Prometheus 3.0.0: escaping on every entry. */
const PROMETHEUS_3_0_0 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,' +
  'application/openmetrics-text;version=0.0.1;escaping=allow-utf-8;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,' +
  'text/plain;version=0.0.4;escaping=allow-utf-8;q=0.3,*/*;q=0.2';

/** Prometheus 3.x with native histograms on: protobuf first, which we do not produce. */
const PROMETHEUS_3_PROTOBUF_FIRST =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,' +
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,' +
  'application/openmetrics-text;version=0.0.1;q=0.4,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';

/** Prometheus 3.x with `scrape_protocols: [PrometheusText1.0.0, PrometheusText0.0.4]`. */
const PROMETHEUS_3_TEXT_ONLY =
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.4';

describe('negotiate', () => {
  it('answers with the exact content types of the reference', () => {
    expect(TEXT_CONTENT_TYPE).toBe(TEXT);
    expect(OPENMETRICS_CONTENT_TYPE).toBe(OM_1);
    expect(OPENMETRICS_0_0_1_CONTENT_TYPE).toBe(OM_0_0_1);
  });

  it('picks OpenMetrics 1.0.0 for the Accept header of Prometheus 2.42', () => {
    const format = negotiate(PROMETHEUS_2_42);
    expect(format.name).toBe('openmetrics');
    expect(format.contentType).toBe(OM_1);
    expect(format.trailer).toBe('# EOF\n');
  });

  it.each([
    ['3.x', PROMETHEUS_3],
    ['3.0.0', PROMETHEUS_3_0_0],
    ['3.x with protobuf first', PROMETHEUS_3_PROTOBUF_FIRST],
  ])('picks OpenMetrics 1.0.0 for the Accept header of Prometheus %s', (_version, accept) => {
    expect(pick(accept)).toBe(OM_1);
  });

  it('picks text 0.0.4 for Prometheus 3.x limited to the text protocols', () => {
    expect(negotiate(PROMETHEUS_3_TEXT_ONLY)).toBe(TEXT_FORMAT);
  });

  it.each([[undefined], [''], ['   ']])(
    'falls back to text 0.0.4 for a missing or empty header (%j)',
    (accept) => {
      expect(negotiate(accept)).toBe(TEXT_FORMAT);
    },
  );

  it.each([
    ['text/plain'],
    ['text/plain;version=0.0.4'],
    ['text/plain; version=0.0.4; charset=utf-8'],
    ['text/plain;version="0.0.4"'],
  ])('picks text 0.0.4 for %j', (accept) => {
    expect(negotiate(accept)).toBe(TEXT_FORMAT);
  });

  it.each([
    ['application/openmetrics-text;version=1.0.0'],
    ['application/openmetrics-text; version=1.0.0; charset=utf-8'],
    ['application/openmetrics-text;version="1.0.0"'],
  ])('picks OpenMetrics 1.0.0 for %j', (accept) => {
    expect(pick(accept)).toBe(OM_1);
  });

  it('answers with version=0.0.1 when only OpenMetrics 0.0.1 is asked for', () => {
    const format = negotiate('application/openmetrics-text;version=0.0.1');
    expect(format.name).toBe('openmetrics');
    expect(format.contentType).toBe(OM_0_0_1);
  });

  it('answers with version=0.0.1 for OpenMetrics without a version, as Go does', () => {
    expect(pick('application/openmetrics-text')).toBe(OM_0_0_1);
  });

  it('falls back to text 0.0.4 for */* alone', () => {
    expect(negotiate('*/*')).toBe(TEXT_FORMAT);
  });

  it.each([['text/*'], ['application/*'], ['*/*;q=0.1, text/*;q=0.5']])(
    'falls back to text 0.0.4 for wildcards only (%j), which never match a concrete format',
    (accept) => {
      expect(negotiate(accept)).toBe(TEXT_FORMAT);
    },
  );

  it('falls back to text 0.0.4 for text/plain;version=1.0.0 alone, a format we do not write', () => {
    expect(negotiate('text/plain;version=1.0.0')).toBe(TEXT_FORMAT);
  });

  it('skips ranges it cannot produce and takes the next one', () => {
    expect(pick('application/openmetrics-text;version=2.0.0,text/plain;version=0.0.4;q=0.5')).toBe(TEXT);
    expect(pick('application/json, application/openmetrics-text;version=1.0.0;q=0.2')).toBe(OM_1);
    expect(pick('text/plain;version=1.0.0, application/openmetrics-text;version=0.0.1;q=0.9')).toBe(OM_0_0_1);
  });

  it('prefers the higher q whatever the order in the header', () => {
    expect(pick('text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0;q=0.9')).toBe(
      OM_1,
    );
    expect(pick('application/openmetrics-text;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.5')).toBe(
      TEXT,
    );
    expect(pick('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4')).toBe(TEXT);
  });

  it('keeps header order between concrete types of equal q', () => {
    expect(pick('text/plain, application/openmetrics-text;version=1.0.0')).toBe(TEXT);
    expect(pick('application/openmetrics-text;version=1.0.0, text/plain')).toBe(OM_1);
  });

  it('excludes ranges with q=0, which mean "not acceptable"', () => {
    expect(pick('application/openmetrics-text;version=1.0.0;q=0')).toBe(TEXT);
    expect(pick('application/openmetrics-text;version=1.0.0;q=0.000, text/plain;q=0.1')).toBe(TEXT);
    expect(pick('application/openmetrics-text;version=1.0.0;q=0.0,application/openmetrics-text;q=0.1')).toBe(
      OM_0_0_1,
    );
  });

  it('matches media types and parameter names case-insensitively', () => {
    expect(pick('Application/OpenMetrics-Text; Version=1.0.0')).toBe(OM_1);
    expect(pick('APPLICATION/OPENMETRICS-TEXT;VERSION=1.0.0')).toBe(OM_1);
    expect(pick('TEXT/PLAIN;VERSION=0.0.4')).toBe(TEXT);
    expect(pick('text/plain;version=0.0.4;Q=0.4, application/openmetrics-text;version=1.0.0;Q=0.5')).toBe(
      OM_1,
    );
  });

  it('tolerates whitespace around types, parameters and separators', () => {
    expect(pick('  application/openmetrics-text ; version = 1.0.0 ; q = 0.9 ,text/plain;q=0.5')).toBe(OM_1);
    expect(pick('\ttext/plain\t')).toBe(TEXT);
  });

  it('skips empty parameters and parameters without "=", as Go does', () => {
    expect(pick('application/openmetrics-text;;;version=1.0.0;;')).toBe(OM_1);
    expect(pick('application/openmetrics-text;flag;version=1.0.0')).toBe(OM_1);
  });

  it.each([
    ['garbage'],
    ['text'],
    ['/'],
    ['text/'],
    ['/plain'],
    ['text/plain/extra'],
    [',,,;;;==='],
    [';version=1.0.0'],
    ['application/openmetrics-text;version="1.0.0'],
    ['application/openmetrics-text;version=1.0.0"'],
    ['application/openmetrics-text;version="1.0.0,text/plain"'],
    ['\u0000\uffff\ud800'],
    ['application/openmetrics-text;version=1.0.0;q=abc'],
    ['application/openmetrics-text;version=1.0.0;q='],
    ['application/openmetrics-text;version=1.0.0;q=2'],
    ['application/openmetrics-text;version=1.0.0;q=-1'],
    ['application/openmetrics-text;version=1.0.0;q=1.5'],
    ['application/openmetrics-text;version=1.0.0;q=0.1234'],
    ['application/openmetrics-text;version=1.0.0;q=NaN'],
    ['application/openmetrics-text;version=1.0.0;q=Infinity'],
    ['application/openmetrics-text;version=1.0.0;q=1e0'],
    ['application/openmetrics-text;version=1.0.0;q=0x1'],
  ])('falls back to text 0.0.4 without throwing for the malformed header %j', (accept) => {
    expect(negotiate(accept)).toBe(TEXT_FORMAT);
  });

  it('still honours the well-formed ranges next to a malformed one', () => {
    expect(pick('garbage, application/openmetrics-text;version=1.0.0')).toBe(OM_1);
    expect(pick('application/openmetrics-text;version=1.0.0;q=abc, text/plain;q=0.1')).toBe(TEXT);
  });

  it('ignores a value that is not a string at all', () => {
    expect(negotiate(['application/openmetrics-text;version=1.0.0'] as unknown as string)).toBe(TEXT_FORMAT);
    expect(negotiate(42 as unknown as string)).toBe(TEXT_FORMAT);
  });

  it('handles huge headers quickly and without throwing', () => {
    const cases = [
      'a'.repeat(1_000_000),
      `${'a'.repeat(500_000)}/${'b'.repeat(500_000)}`,
      ','.repeat(1_000_000),
      ';'.repeat(1_000_000),
      `text/plain;${'x='.repeat(200_000)}`,
      `application/openmetrics-text;version="${'"'.repeat(500_000)}`,
      `${'text/html;q=0.9,'.repeat(50_000)}application/openmetrics-text;version=1.0.0`,
      `text/plain;version=${' '.repeat(1_000_000)}1.0.0`,
    ];
    const start = performance.now();
    for (const accept of cases) expect(negotiate(accept)).toBe(TEXT_FORMAT);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('never throws, always answers one of the three content types, and never OpenMetrics unasked', () => {
    const token = fc.constantFrom(
      'text/plain',
      'application/openmetrics-text',
      'Application/OpenMetrics-Text',
      '*/*',
      'text/*',
      ';version=1.0.0',
      ';version=0.0.4',
      ';version=0.0.1',
      ';q=0',
      ';q=0.5',
      ';q=1',
      ';q=x',
      ',',
      ';',
      '=',
      '"',
      ' ',
    );
    const header = fc.oneof(
      fc.array(token, { maxLength: 12 }).map((parts) => parts.join('')),
      fc.string(),
    );
    fc.assert(
      fc.property(header, (accept) => {
        const format = negotiate(accept);
        expect([TEXT, OM_1, OM_0_0_1]).toContain(format.contentType);
        if (format.name === 'openmetrics')
          expect(accept.toLowerCase()).toContain('application/openmetrics-text');
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseAccept', () => {
  it('returns nothing for a missing or empty header', () => {
    expect(parseAccept(undefined)).toEqual([]);
    expect(parseAccept('')).toEqual([]);
  });

  it('orders ranges by q, highest first', () => {
    const ranges = parseAccept('a/x;q=0.1, b/y;q=0.9, c/z');
    expect(ranges.map((r) => `${r.type}/${r.subtype}`)).toEqual(['c/z', 'b/y', 'a/x']);
    expect(ranges.map((r) => r.q)).toEqual([1, 0.9, 0.1]);
  });

  it('puts concrete types before wildcards on a tie, and keeps header order otherwise', () => {
    const ranges = parseAccept('*/*, text/*, text/plain, application/json');
    expect(ranges.map((r) => `${r.type}/${r.subtype}`)).toEqual([
      'text/plain',
      'application/json',
      'text/*',
      '*/*',
    ]);
  });

  it('lower-cases types and parameter names, trims and unquotes parameter values', () => {
    const [range] = parseAccept('Application/OpenMetrics-Text; Version = "1.0.0" ; Charset=UTF-8');
    expect(range.type).toBe('application');
    expect(range.subtype).toBe('openmetrics-text');
    expect(range.params.get('version')).toBe('1.0.0');
    expect(range.params.get('charset')).toBe('UTF-8');
    expect(range.params.has('q')).toBe(false);
  });

  it('drops ranges with q=0 and ranges with an invalid q', () => {
    expect(parseAccept('a/b;q=0, c/d;q=1.5, e/f;q=0.001')).toHaveLength(1);
  });
});

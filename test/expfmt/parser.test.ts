import { describe, expect, it } from 'vitest';
import type { Label } from '../../src/core/model.js';
import {
  ExpositionParseError,
  type ExpositionSyntax,
  parseExposition,
  syntaxForContentType,
} from '../../src/expfmt/parser.js';

/** Label pairs in the order given (expectations list them sorted, which is what the parser must produce). */
function labels(pairs: Record<string, string> = {}): Label[] {
  return Object.entries(pairs).map(([name, value]) => ({ name, value }));
}

const text = (input: string) => parseExposition(input, { syntax: 'text' });
const om = (input: string) => parseExposition(input, { syntax: 'openmetrics' });

/** The error a rejected exposition throws; fails the test when it parses or throws anything else. */
function rejection(input: string, syntax: ExpositionSyntax): ExpositionParseError {
  try {
    parseExposition(input, { syntax });
  } catch (e) {
    if (e instanceof ExpositionParseError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

interface Rejected {
  readonly what: string;
  readonly input: string;
  readonly line: number;
  readonly reason: string;
}

/** Two good lines first, so every rejected line below sits on line 3 unless it says otherwise. */
const OK_TEXT = '# HELP ok A fine gauge.\nok 1\n';
const OK_OM = '# TYPE ok gauge\nok 1\n';

describe('parseExposition in the text format 0.0.4', () => {
  describe('accepts what the Prometheus 2.42 scraper accepts', () => {
    it('reads HELP, TYPE and samples into a family', () => {
      expect(
        text('# HELP up Whether the target is up.\n# TYPE up gauge\nup{job="a"} 1\nup{job="b"} 0\n'),
      ).toEqual([
        {
          name: 'up',
          help: 'Whether the target is up.',
          type: 'gauge',
          unit: '',
          series: [
            { labels: labels({ job: 'a' }), value: 1 },
            { labels: labels({ job: 'b' }), value: 0 },
          ],
        },
      ]);
    });

    it('keeps colon names such as vllm:num_requests_running', () => {
      expect(
        text('# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{engine="0"} 3\n'),
      ).toEqual([
        {
          name: 'vllm:num_requests_running',
          help: '',
          type: 'gauge',
          unit: '',
          series: [{ labels: labels({ engine: '0' }), value: 3 }],
        },
      ]);
    });

    it('skips blank and whitespace-only lines', () => {
      expect(text('\n\na 1\n   \n\t\nb 2\n\n')).toEqual([
        { name: 'a', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
        { name: 'b', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 2 }] },
      ]);
    });

    it('accepts any spaces and tabs between tokens and at the end of the line', () => {
      expect(text('a \t{ \tb = "1" ,\tc\t=\t"2"\t} \t 3 \t 1000 \t\n')).toEqual([
        {
          name: 'a',
          help: '',
          type: 'untyped',
          unit: '',
          series: [{ labels: labels({ b: '1', c: '2' }), value: 3, timestampMs: 1000 }],
        },
      ]);
    });

    it('accepts an empty label set and a trailing comma', () => {
      expect(text('a{} 1\nb{c="1",} 2\nd{ e="1" , } 3\n')).toEqual([
        { name: 'a', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
        {
          name: 'b',
          help: '',
          type: 'untyped',
          unit: '',
          series: [{ labels: labels({ c: '1' }), value: 2 }],
        },
        {
          name: 'd',
          help: '',
          type: 'untyped',
          unit: '',
          series: [{ labels: labels({ e: '1' }), value: 3 }],
        },
      ]);
    });

    it('accepts label pairs without a comma between them, as 2.42 parses them', () => {
      expect(text('a{b="1" c="2"d="3"} 1\n')).toEqual([
        {
          name: 'a',
          help: '',
          type: 'untyped',
          unit: '',
          series: [{ labels: labels({ b: '1', c: '2', d: '3' }), value: 1 }],
        },
      ]);
    });

    it('accepts a value written straight after the name or the label set', () => {
      expect(text('a+1\nb{c="1"}2\n')).toEqual([
        { name: 'a', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
        {
          name: 'b',
          help: '',
          type: 'untyped',
          unit: '',
          series: [{ labels: labels({ c: '1' }), value: 2 }],
        },
      ]);
    });

    it('sorts label pairs by name', () => {
      expect(text('a{zeta="1",alpha="2",mid="3"} 1\n')[0].series[0].labels).toEqual(
        labels({ alpha: '2', mid: '3', zeta: '1' }),
      );
    });

    it('accepts whitespace before a comment or metadata line', () => {
      expect(text('  # HELP a Indented help.\n\t# TYPE a counter\n   # just a comment\na 1\n')).toEqual([
        { name: 'a', help: 'Indented help.', type: 'counter', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });

    it('accepts tabs as separators in metadata lines', () => {
      expect(text('#\tHELP\ta\tTabbed help.\n#\tTYPE\ta\tgauge\na 1\n')).toEqual([
        { name: 'a', help: 'Tabbed help.', type: 'gauge', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });

    it('treats "#HELP" without a space, and any other comment, as a comment', () => {
      expect(text('#HELP a Lost help.\n#TYPE a counter\n# hello\n# EOF\n# UNIT a seconds\na 1\n')).toEqual([
        { name: 'a', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });

    it('accepts an empty HELP and keeps the spacing of the HELP text after its one separator', () => {
      expect(text('# HELP a\n# HELP b   two  spaces \na 1\nb 1\n').map((f) => f.help)).toEqual([
        '',
        '  two  spaces ',
      ]);
    });

    it('lets the last of repeated HELP lines win', () => {
      expect(text('# HELP a First.\n# HELP a Second.\na 1\n# HELP a Third.\n')[0].help).toBe('Third.');
    });

    it('accepts a TYPE after the samples it describes when they fit it', () => {
      expect(text('a 1\n# TYPE a counter\nb{x="1"} 2\n# TYPE b gauge\n')).toEqual([
        { name: 'a', help: '', type: 'counter', unit: '', series: [{ labels: [], value: 1 }] },
        { name: 'b', help: '', type: 'gauge', unit: '', series: [{ labels: labels({ x: '1' }), value: 2 }] },
      ]);
    });

    it('accepts a second, conflicting TYPE and lets the last one win when the samples fit it', () => {
      expect(text('# TYPE a gauge\n# TYPE a counter\na 1\n# TYPE b counter\nb 1\n# TYPE b gauge\n')).toEqual([
        { name: 'a', help: '', type: 'counter', unit: '', series: [{ labels: [], value: 1 }] },
        { name: 'b', help: '', type: 'gauge', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });

    it('accepts interleaved families, keeping each family at its first appearance', () => {
      expect(text('a{x="1"} 1\nb 2\na{x="2"} 3\n# TYPE b gauge\n')).toEqual([
        {
          name: 'a',
          help: '',
          type: 'untyped',
          unit: '',
          series: [
            { labels: labels({ x: '1' }), value: 1 },
            { labels: labels({ x: '2' }), value: 3 },
          ],
        },
        { name: 'b', help: '', type: 'gauge', unit: '', series: [{ labels: [], value: 2 }] },
      ]);
    });

    it('accepts a last line without a newline', () => {
      expect(text('# TYPE a gauge\na 1 1000')).toEqual([
        {
          name: 'a',
          help: '',
          type: 'gauge',
          unit: '',
          series: [{ labels: [], value: 1, timestampMs: 1000 }],
        },
      ]);
    });

    it('accepts an empty body', () => {
      expect(text('')).toEqual([]);
      expect(text('\n\n')).toEqual([]);
      expect(text('# just comments\n')).toEqual([]);
    });

    it('accepts label names starting with "__" other than __name__', () => {
      expect(text('a{__x="1"} 1\n')[0].series).toEqual([{ labels: labels({ __x: '1' }), value: 1 }]);
    });

    it('accepts a raw line break inside a label value and keeps counting lines after it', () => {
      expect(text('a{b="line1\nline2"} 1\nc 2\n')).toEqual([
        {
          name: 'a',
          help: '',
          type: 'untyped',
          unit: '',
          series: [{ labels: labels({ b: 'line1\nline2' }), value: 1 }],
        },
        { name: 'c', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 2 }] },
      ]);
      expect(rejection('a{b="line1\nline2"} 1\nc 2\n7bad 3\n', 'text').line).toBe(4);
      expect(rejection('a{b="line1\nline2",\n', 'text').line).toBe(2);
    });

    it('keeps an empty label value as a label', () => {
      expect(text('a{b=""} 1\n')[0].series).toEqual([{ labels: labels({ b: '' }), value: 1 }]);
    });

    it('reads families with no TYPE, and TYPE untyped, as untyped', () => {
      expect(text('# TYPE a untyped\na 1\nb 2\n').map((f) => f.type)).toEqual(['untyped', 'untyped']);
    });

    it('keeps the _total of a counter in the family name', () => {
      expect(text('# TYPE http_requests_total counter\nhttp_requests_total{code="200"} 1027\n')).toEqual([
        {
          name: 'http_requests_total',
          help: '',
          type: 'counter',
          unit: '',
          series: [{ labels: labels({ code: '200' }), value: 1027 }],
        },
      ]);
    });

    it('drops families that have HELP or TYPE but no samples', () => {
      expect(
        text('# HELP a Nothing here.\n# TYPE a gauge\n# TYPE h histogram\n# HELP c Has one.\nc 1\n'),
      ).toEqual([
        { name: 'c', help: 'Has one.', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });
  });

  describe('rejects what the Prometheus 2.42 scraper rejects, naming the line and the reason', () => {
    const cases: Rejected[] = [
      { what: 'a metric name starting with a digit', input: '7t_a 1\n', line: 3, reason: 'metric name' },
      {
        what: 'a label name with "-"',
        input: 'a{b-c="1"} 1\n',
        line: 3,
        reason: 'expected "=" after label name "b"',
      },
      {
        what: 'a label name with ":"',
        input: 'a{b:c="1"} 1\n',
        line: 3,
        reason: 'expected "=" after label name "b"',
      },
      { what: 'a label name starting with a digit', input: 'a{1b="1"} 1\n', line: 3, reason: 'label name' },
      {
        what: 'leading whitespace before a sample',
        input: '  x 1\n',
        line: 3,
        reason: 'whitespace before the metric name',
      },
      {
        what: 'a tab before a sample',
        input: '\tx 1\n',
        line: 3,
        reason: 'whitespace before the metric name',
      },
      { what: 'TYPE unknown', input: '# TYPE x unknown\n', line: 3, reason: 'invalid metric type "unknown"' },
      { what: 'TYPE info', input: '# TYPE x info\n', line: 3, reason: 'invalid metric type "info"' },
      {
        what: 'TYPE stateset',
        input: '# TYPE x stateset\n',
        line: 3,
        reason: 'invalid metric type "stateset"',
      },
      {
        what: 'TYPE gaugehistogram',
        input: '# TYPE x gaugehistogram\n',
        line: 3,
        reason: 'invalid metric type "gaugehistogram"',
      },
      { what: 'an unknown TYPE word', input: '# TYPE x foo\n', line: 3, reason: 'invalid metric type "foo"' },
      {
        what: 'an upper-case TYPE word',
        input: '# TYPE x Gauge\n',
        line: 3,
        reason: 'invalid metric type "Gauge"',
      },
      { what: 'a missing TYPE word', input: '# TYPE x\n', line: 3, reason: 'invalid metric type ""' },
      {
        what: 'two spaces before the TYPE word',
        input: '# TYPE x  gauge\n',
        line: 3,
        reason: 'invalid metric type " gauge"',
      },
      {
        what: 'a space after the TYPE word',
        input: '# TYPE x gauge \n',
        line: 3,
        reason: 'invalid metric type "gauge "',
      },
      { what: 'a HELP without a metric name', input: '# HELP \n', line: 3, reason: 'metric name' },
      {
        what: 'a HELP for an invalid metric name',
        input: '# HELP 7x Help.\n',
        line: 3,
        reason: 'metric name',
      },
      {
        what: 'a TYPE for an invalid metric name',
        input: '# TYPE a-b gauge\n',
        line: 3,
        reason: 'metric name',
      },
      { what: 'a negative timestamp', input: 'x 1 -1000\n', line: 3, reason: 'invalid timestamp "-1000"' },
      { what: 'a float timestamp', input: 'x 1 1.5e12\n', line: 3, reason: 'invalid timestamp "1.5e12"' },
      { what: 'a signed timestamp', input: 'x 1 +1000\n', line: 3, reason: 'invalid timestamp "+1000"' },
      { what: 'a token after the timestamp', input: 'x 1 1000 2\n', line: 3, reason: 'after the timestamp' },
      {
        what: 'a timestamp overflowing int64',
        input: 'x 1 9223372036854775808\n',
        line: 3,
        reason: 'timestamp "9223372036854775808"',
      },
      { what: 'a value in hex', input: 'x 0x10\n', line: 3, reason: 'invalid value "0x10"' },
      { what: 'a hex float value', input: 'x 0x1p3\n', line: 3, reason: 'invalid value "0x1p3"' },
      { what: 'a value with "_" separators', input: 'x 1_000\n', line: 3, reason: 'invalid value "1_000"' },
      { what: 'a value overflowing float64', input: 'x 1e400\n', line: 3, reason: 'invalid value "1e400"' },
      {
        what: 'a signed NaN, which Go does not parse',
        input: 'x +NaN\n',
        line: 3,
        reason: 'invalid value "+NaN"',
      },
      { what: 'a value that is not a number', input: 'x abc\n', line: 3, reason: 'invalid value "abc"' },
      { what: 'a missing value', input: 'x\n', line: 3, reason: 'expected a value' },
      { what: 'a missing value after labels', input: 'x{a="1"}\n', line: 3, reason: 'expected a value' },
      { what: 'CRLF line endings', input: 'x 1\r\ny 2\r\n', line: 3, reason: 'carriage return' },
      { what: 'CRLF after a timestamp', input: 'x 1 1000\r\n', line: 3, reason: 'carriage return' },
      {
        what: 'CRLF after a TYPE',
        input: '# TYPE x gauge\r\n',
        line: 3,
        reason: 'invalid metric type "gauge\\r"',
      },
      {
        what: 'a duplicate label name',
        input: 'x{b="1",a="0",b="2"} 1\n',
        line: 3,
        reason: 'duplicate label name "b"',
      },
      {
        what: 'a __name__ label',
        input: 'x{__name__="y"} 1\n',
        line: 3,
        reason: 'label name "__name__" is reserved',
      },
      { what: 'an exemplar', input: 'x_total 1 # {a="b"} 1\n', line: 3, reason: 'exemplars are not allowed' },
      {
        what: 'an exemplar after a timestamp',
        input: 'x_total 1 1000 # {a="b"} 1\n',
        line: 3,
        reason: 'after the timestamp',
      },
      { what: 'a quoted UTF-8 metric name', input: '{"a.b"} 1\n', line: 3, reason: 'metric name' },
      {
        what: 'an unquoted label value',
        input: 'x{a=1} 1\n',
        line: 3,
        reason: 'expected a quoted label value',
      },
      {
        what: 'an unterminated label value',
        input: 'x{a="1} 1',
        line: 3,
        reason: 'unterminated label value',
      },
      { what: 'a label set without "}"', input: 'x{a="1" 1\n', line: 3, reason: 'label name' },
      {
        what: 'two commas in a label set',
        input: 'x{a="1",,b="2"} 1\n',
        line: 3,
        reason: 'expected a label name',
      },
      { what: 'a lone comma in a label set', input: 'x{,} 1\n', line: 3, reason: 'expected a label name' },
      {
        what: 'a backslash before a line break in a label value',
        input: 'x{a="1\\\n"} 1\n',
        line: 3,
        reason: 'backslash',
      },
      { what: 'a lone surrogate in a label value', input: 'x{a="\ud800"} 1\n', line: 3, reason: 'UTF-8' },
      { what: 'a lone surrogate in HELP', input: '# HELP x bad \udc00 help\n', line: 3, reason: 'UTF-8' },
    ];
    it.each(cases)('rejects $what', ({ input, line, reason }) => {
      const error = rejection(OK_TEXT + input, 'text');
      expect(error.line).toBe(line);
      expect(error.reason).toContain(reason);
      expect(error.message).toBe(`exposition line ${line}: ${error.reason}`);
    });
  });

  describe('rejects what the family model cannot hold (2.42 would store these as loose series)', () => {
    const cases: Rejected[] = [
      {
        what: 'a TYPE that does not fit the samples already seen',
        input: 'h 1\n# TYPE h histogram\n',
        line: 4,
        reason: 'TYPE histogram for "h"',
      },
      {
        what: 'a histogram bucket without "le"',
        input: '# TYPE h histogram\nh_bucket{a="1"} 1\n',
        line: 4,
        reason: 'lacks the "le" label',
      },
      {
        what: 'a histogram bucket whose "le" is not a number',
        input: '# TYPE h histogram\nh_bucket{le="abc"} 1\n',
        line: 4,
        reason: 'invalid "le" value "abc"',
      },
      {
        what: 'a summary quantile that is not a number',
        input: '# TYPE s summary\ns{quantile="high"} 1\n',
        line: 4,
        reason: 'invalid "quantile" value "high"',
      },
      {
        what: 'a sample named like its histogram family',
        input: '# TYPE h histogram\nh 1\n',
        line: 4,
        reason: 'does not belong to histogram "h"',
      },
    ];
    it.each(cases)('rejects $what', ({ input, line, reason }) => {
      const error = rejection(OK_TEXT + input, 'text');
      expect(error.line).toBe(line);
      expect(error.reason).toContain(reason);
    });
  });

  describe('numbers', () => {
    it.each([
      ['1e3', 1000],
      ['1E-3', 0.001],
      ['.5', 0.5],
      ['5.', 5],
      ['+5', 5],
      ['-0', -0],
      ['00012', 12],
      ['1.5e+06', 1_500_000],
      ['Inf', Number.POSITIVE_INFINITY],
      ['+Inf', Number.POSITIVE_INFINITY],
      ['-inf', Number.NEGATIVE_INFINITY],
      ['INF', Number.POSITIVE_INFINITY],
      ['infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['NaN', Number.NaN],
      ['nan', Number.NaN],
      ['Nan', Number.NaN],
      ['1e-400', 0],
      [`17976931348623157${'0'.repeat(292)}`, Number.MAX_VALUE],
    ])('reads the value %s as Go does', (written, value) => {
      const [family] = text(`x ${written}\n`);
      expect((family.series[0] as { value: number }).value).toBe(value);
    });

    it.each([['infin'], ['1e'], ['.'], ['e3'], ['--1'], ['1.2.3'], ['Infinityx'], ['-nan'], ['１'], ['1,5']])(
      'rejects the value %s',
      (written) => {
        expect(rejection(`x ${written}\n`, 'text').reason).toContain(
          `invalid value ${JSON.stringify(written)}`,
        );
      },
    );

    it.each([
      ['1700000000000', 1_700_000_000_000],
      ['0', 0],
      ['00012', 12],
      ['000000000000000000000001', 1],
      ['9223372036854775807', Number(9223372036854775807n)],
    ])('reads the timestamp %s as integer milliseconds', (written, ms) => {
      expect(text(`x 1 ${written}\n`)[0].series[0].timestampMs).toBe(ms);
    });

    it.each([['-1'], ['1.5'], ['1e3'], ['99999999999999999999'], ['NaN'], ['0x10']])(
      'rejects the timestamp %s',
      (written) => {
        expect(rejection(`x 1 ${written}\n`, 'text').reason).toContain(
          `timestamp ${JSON.stringify(written)}`,
        );
      },
    );
  });

  describe('escapes', () => {
    it('unescapes \\\\, \\" and \\n in label values and keeps any other escape literally', () => {
      const [family] = text(String.raw`a{b="x\\y",c="q\"q",d="l1\nl2",e="t\tt",f="\a",g="end\\"} 1` + '\n');
      expect(family.series[0].labels).toEqual(
        labels({ b: 'x\\y', c: 'q"q', d: 'l1\nl2', e: String.raw`t\tt`, f: String.raw`\a`, g: 'end\\' }),
      );
    });

    it('unescapes only \\\\ and \\n in HELP and keeps \\" literally', () => {
      const [family] = text(String.raw`# HELP a x\\y \"q\" l1\nl2 \t` + '\na 1\n');
      expect(family.help).toBe(String.raw`x\y \"q\" l1` + '\n' + String.raw`l2 \t`);
    });

    it('keeps quotes, braces, commas and unicode inside label values and HELP as they are', () => {
      const [family] = text(
        '# HELP a Ünïcödé 😀 {x="y"}, # ok\u2028\r\na{b="{c=\\"d\\"}, # 😀\t\u2028"} 1\n',
      );
      expect(family.help).toBe('Ünïcödé 😀 {x="y"}, # ok\u2028\r');
      expect(family.series[0].labels).toEqual(labels({ b: '{c="d"}, # 😀\t\u2028' }));
    });
  });

  describe('histograms and summaries', () => {
    it('assembles buckets sorted by le, with +Inf, _sum and _count, dropping le from the labels', () => {
      const input = [
        '# HELP rpc_seconds RPC latency.',
        '# TYPE rpc_seconds histogram',
        'rpc_seconds_bucket{code="200",le="1"} 3',
        'rpc_seconds_bucket{le="0.5",code="200"} 1',
        'rpc_seconds_bucket{code="200",le="+Inf"} 4',
        'rpc_seconds_sum{code="200"} 7.25',
        'rpc_seconds_count{code="200"} 4',
        'rpc_seconds_bucket{code="500",le="0.5"} 0',
        'rpc_seconds_bucket{code="500",le="1.0"} 1',
        'rpc_seconds_bucket{code="500",le="+Inf"} 1',
        'rpc_seconds_count{code="500"} 1',
        'rpc_seconds_sum{code="500"} 0.75',
        '',
      ].join('\n');
      expect(text(input)).toEqual([
        {
          name: 'rpc_seconds',
          help: 'RPC latency.',
          type: 'histogram',
          unit: '',
          series: [
            {
              labels: labels({ code: '200' }),
              upperBounds: [0.5, 1, Number.POSITIVE_INFINITY],
              counts: [1, 3, 4],
              sum: 7.25,
              count: 4,
            },
            {
              labels: labels({ code: '500' }),
              upperBounds: [0.5, 1, Number.POSITIVE_INFINITY],
              counts: [0, 1, 1],
              sum: 0.75,
              count: 1,
            },
          ],
        },
      ]);
    });

    it('keeps histograms with missing parts as they are: no +Inf, no _sum, no buckets', () => {
      const input = [
        '# TYPE h histogram',
        'h_bucket{a="1",le="1"} 2',
        'h_count{a="1"} 5',
        'h_sum{a="2"} 1.5',
        'h_bucket{a="3",le="-Inf"} 0',
        'h_bucket{a="3",le="-1e3"} 1',
        '',
      ].join('\n');
      expect(text(input)[0].series).toEqual([
        { labels: labels({ a: '1' }), upperBounds: [1], counts: [2], count: 5 },
        { labels: labels({ a: '2' }), upperBounds: [], counts: [], sum: 1.5 },
        { labels: labels({ a: '3' }), upperBounds: [Number.NEGATIVE_INFINITY, -1000], counts: [0, 1] },
      ]);
    });

    it('keeps the first timestamp of a histogram series', () => {
      const input = '# TYPE h histogram\nh_bucket{le="+Inf"} 1 1000\nh_count 1 2000\n';
      expect(text(input)[0].series).toEqual([
        { labels: [], upperBounds: [Number.POSITIVE_INFINITY], counts: [1], count: 1, timestampMs: 1000 },
      ]);
    });

    it('assembles summaries with quantiles sorted, _sum and _count', () => {
      const input = [
        '# TYPE rpc summary',
        'rpc{quantile="0.99"} NaN',
        'rpc{quantile="0.5"} 0.2',
        'rpc_sum 10',
        'rpc_count 42',
        'rpc{quantile="0.5",x="y"} 1',
        '',
      ].join('\n');
      expect(text(input)).toEqual([
        {
          name: 'rpc',
          help: '',
          type: 'summary',
          unit: '',
          series: [
            { labels: [], quantiles: [0.5, 0.99], values: [0.2, Number.NaN], sum: 10, count: 42 },
            { labels: labels({ x: 'y' }), quantiles: [0.5], values: [1] },
          ],
        },
      ]);
    });

    it('leaves samples with other suffixes as untyped families of their own', () => {
      expect(
        text('# TYPE h histogram\nh_total 1\nh_bucket{le="1"} 1\n# TYPE s summary\ns_created 5\n'),
      ).toEqual([
        {
          name: 'h',
          help: '',
          type: 'histogram',
          unit: '',
          series: [{ labels: [], upperBounds: [1], counts: [1] }],
        },
        { name: 'h_total', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
        { name: 's_created', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 5 }] },
      ]);
    });

    it('lets a family that is typed under its own name keep its samples', () => {
      expect(text('# TYPE h histogram\n# TYPE h_count gauge\nh_count 3\nh_bucket{le="+Inf"} 1\n')).toEqual([
        {
          name: 'h',
          help: '',
          type: 'histogram',
          unit: '',
          series: [{ labels: [], upperBounds: [Number.POSITIVE_INFINITY], counts: [1] }],
        },
        { name: 'h_count', help: '', type: 'gauge', unit: '', series: [{ labels: [], value: 3 }] },
      ]);
    });
  });

  describe('duplicate series', () => {
    it('keeps the first value and reports each later copy', () => {
      const duplicates: [string, readonly Label[]][] = [];
      const families = parseExposition('a{x="1"} 1\na{x="2"} 2\na{x="1"} 3\na{x="1"} 4 1000\n', {
        onDuplicateSeries: (family, labels) => duplicates.push([family, labels]),
      });
      expect(families).toEqual([
        {
          name: 'a',
          help: '',
          type: 'untyped',
          unit: '',
          series: [
            { labels: labels({ x: '1' }), value: 1 },
            { labels: labels({ x: '2' }), value: 2 },
          ],
        },
      ]);
      expect(duplicates).toEqual([
        ['a', labels({ x: '1' })],
        ['a', labels({ x: '1' })],
      ]);
    });

    it('treats label sets written in another order or spacing as the same series', () => {
      const duplicates: string[] = [];
      const families = parseExposition('a{x="1",y="2"} 1\na{ y="2" , x="1" , } 2\n', {
        onDuplicateSeries: (family) => duplicates.push(family),
      });
      expect(families[0].series).toEqual([{ labels: labels({ x: '1', y: '2' }), value: 1 }]);
      expect(duplicates).toEqual(['a']);
    });

    it('reports duplicate buckets, sums and counts of a histogram series', () => {
      const duplicates: [string, readonly Label[]][] = [];
      const input = [
        '# TYPE h histogram',
        'h_bucket{a="1",le="1"} 1',
        'h_bucket{a="1",le="1.0"} 9',
        'h_bucket{a="1",le="+Inf"} 2',
        'h_sum{a="1"} 3',
        'h_sum{a="1"} 30',
        'h_count{a="1"} 2',
        'h_count{a="1"} 20',
        '',
      ].join('\n');
      const families = parseExposition(input, { onDuplicateSeries: (f, l) => duplicates.push([f, l]) });
      expect(families[0].series).toEqual([
        {
          labels: labels({ a: '1' }),
          upperBounds: [1, Number.POSITIVE_INFINITY],
          counts: [1, 2],
          sum: 3,
          count: 2,
        },
      ]);
      expect(duplicates).toEqual([
        ['h', labels({ a: '1' })],
        ['h', labels({ a: '1' })],
        ['h', labels({ a: '1' })],
      ]);
    });

    it('finds a repeated bucket after buckets arrived out of order', () => {
      const duplicates: string[] = [];
      const input = '# TYPE h histogram\nh_bucket{le="2"} 2\nh_bucket{le="1"} 1\nh_bucket{le="2"} 9\n';
      const families = parseExposition(input, { onDuplicateSeries: (f) => duplicates.push(f) });
      expect(families[0].series).toEqual([{ labels: [], upperBounds: [1, 2], counts: [1, 2] }]);
      expect(duplicates).toEqual(['h']);
    });

    it('does not need a callback', () => {
      expect(text('a 1\na 2\n')[0].series).toEqual([{ labels: [], value: 1 }]);
    });
  });

  it('parses a prom-client default-metrics exposition', () => {
    const input = `# HELP process_cpu_user_seconds_total Total user CPU time spent in seconds.
# TYPE process_cpu_user_seconds_total counter
process_cpu_user_seconds_total 0.004938

# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
# TYPE process_start_time_seconds gauge
process_start_time_seconds 1795647026

# HELP nodejs_eventloop_lag_mean_seconds The mean of the recorded event loop delays.
# TYPE nodejs_eventloop_lag_mean_seconds gauge
nodejs_eventloop_lag_mean_seconds Nan

# HELP nodejs_eventloop_lag_p50_seconds The 50th percentile of the recorded event loop delays.
# TYPE nodejs_eventloop_lag_p50_seconds gauge
nodejs_eventloop_lag_p50_seconds 5.11e-7

# HELP nodejs_active_handles Number of active libuv handles grouped by handle type. Every handle type is C++ class name.
# TYPE nodejs_active_handles gauge

# HELP nodejs_heap_space_size_used_bytes Process heap space size used from Node.js in bytes.
# TYPE nodejs_heap_space_size_used_bytes gauge
nodejs_heap_space_size_used_bytes{space="read_only"} 0
nodejs_heap_space_size_used_bytes{space="new"} 510072
nodejs_heap_space_size_used_bytes{space="old"} 4513288

# HELP nodejs_version_info Node.js version info.
# TYPE nodejs_version_info gauge
nodejs_version_info{version="v20.20.2",major="20",minor="20",patch="2"} 1

# HELP nodejs_gc_duration_seconds Garbage collection duration by kind, one of major, minor, incremental or weakcb.
# TYPE nodejs_gc_duration_seconds histogram
nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 1
nodejs_gc_duration_seconds_bucket{le="0.01",kind="minor"} 2
nodejs_gc_duration_seconds_bucket{le="0.1",kind="minor"} 2
nodejs_gc_duration_seconds_bucket{le="1",kind="minor"} 2
nodejs_gc_duration_seconds_bucket{le="2",kind="minor"} 2
nodejs_gc_duration_seconds_bucket{le="5",kind="minor"} 2
nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"} 2
nodejs_gc_duration_seconds_sum{kind="minor"} 0.0025
nodejs_gc_duration_seconds_count{kind="minor"} 2

`;
    expect(text(input)).toEqual([
      {
        name: 'process_cpu_user_seconds_total',
        help: 'Total user CPU time spent in seconds.',
        type: 'counter',
        unit: '',
        series: [{ labels: [], value: 0.004938 }],
      },
      {
        name: 'process_start_time_seconds',
        help: 'Start time of the process since unix epoch in seconds.',
        type: 'gauge',
        unit: '',
        series: [{ labels: [], value: 1795647026 }],
      },
      {
        name: 'nodejs_eventloop_lag_mean_seconds',
        help: 'The mean of the recorded event loop delays.',
        type: 'gauge',
        unit: '',
        series: [{ labels: [], value: Number.NaN }],
      },
      {
        name: 'nodejs_eventloop_lag_p50_seconds',
        help: 'The 50th percentile of the recorded event loop delays.',
        type: 'gauge',
        unit: '',
        series: [{ labels: [], value: 5.11e-7 }],
      },
      {
        name: 'nodejs_heap_space_size_used_bytes',
        help: 'Process heap space size used from Node.js in bytes.',
        type: 'gauge',
        unit: '',
        series: [
          { labels: labels({ space: 'read_only' }), value: 0 },
          { labels: labels({ space: 'new' }), value: 510072 },
          { labels: labels({ space: 'old' }), value: 4513288 },
        ],
      },
      {
        name: 'nodejs_version_info',
        help: 'Node.js version info.',
        type: 'gauge',
        unit: '',
        series: [{ labels: labels({ major: '20', minor: '20', patch: '2', version: 'v20.20.2' }), value: 1 }],
      },
      {
        name: 'nodejs_gc_duration_seconds',
        help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
        type: 'histogram',
        unit: '',
        series: [
          {
            labels: labels({ kind: 'minor' }),
            upperBounds: [0.001, 0.01, 0.1, 1, 2, 5, Number.POSITIVE_INFINITY],
            counts: [1, 2, 2, 2, 2, 2, 2],
            sum: 0.0025,
            count: 2,
          },
        ],
      },
    ]);
  });

  it('parses a vLLM exposition with colon names, histograms and _created gauges', () => {
    const m = 'engine="0",model_name="Qwen/Qwen3-0.6B"';
    const input = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{${m}} 1.0
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{${m}} 1234.0
# HELP vllm:prompt_tokens_created Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_created gauge
vllm:prompt_tokens_created{${m}} 1.7501234567891e+09
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.001",model_name="Qwen/Qwen3-0.6B"} 0.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.005",model_name="Qwen/Qwen3-0.6B"} 0.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.01",model_name="Qwen/Qwen3-0.6B"} 1.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.02",model_name="Qwen/Qwen3-0.6B"} 3.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="Qwen/Qwen3-0.6B"} 4.0
vllm:time_to_first_token_seconds_count{${m}} 4.0
vllm:time_to_first_token_seconds_sum{${m}} 0.0712
# HELP vllm:time_to_first_token_seconds_created Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds_created gauge
vllm:time_to_first_token_seconds_created{${m}} 1.7501234567891e+09
# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig
# TYPE vllm:cache_config_info gauge
vllm:cache_config_info{block_size="16",cache_dtype="auto",enable_prefix_caching="True",gpu_memory_utilization="0.9"} 1.0
# HELP vllm:request_success_total Count of successfully processed requests.
# TYPE vllm:request_success_total counter
vllm:request_success_total{engine="0",finished_reason="stop",model_name="Qwen/Qwen3-0.6B"} 2.0
vllm:request_success_total{engine="0",finished_reason="length",model_name="Qwen/Qwen3-0.6B"} 1.0
`;
    const model = labels({ engine: '0', model_name: 'Qwen/Qwen3-0.6B' });
    expect(text(input)).toEqual([
      {
        name: 'vllm:num_requests_running',
        help: 'Number of requests in model execution batches.',
        type: 'gauge',
        unit: '',
        series: [{ labels: model, value: 1 }],
      },
      {
        name: 'vllm:prompt_tokens_total',
        help: 'Number of prefill tokens processed.',
        type: 'counter',
        unit: '',
        series: [{ labels: model, value: 1234 }],
      },
      {
        name: 'vllm:prompt_tokens_created',
        help: 'Number of prefill tokens processed.',
        type: 'gauge',
        unit: '',
        series: [{ labels: model, value: 1750123456.7891 }],
      },
      {
        name: 'vllm:time_to_first_token_seconds',
        help: 'Histogram of time to first token in seconds.',
        type: 'histogram',
        unit: '',
        series: [
          {
            labels: model,
            upperBounds: [0.001, 0.005, 0.01, 0.02, Number.POSITIVE_INFINITY],
            counts: [0, 0, 1, 3, 4],
            sum: 0.0712,
            count: 4,
          },
        ],
      },
      {
        name: 'vllm:time_to_first_token_seconds_created',
        help: 'Histogram of time to first token in seconds.',
        type: 'gauge',
        unit: '',
        series: [{ labels: model, value: 1750123456.7891 }],
      },
      {
        name: 'vllm:cache_config_info',
        help: 'Information of the LLMEngine CacheConfig',
        type: 'gauge',
        unit: '',
        series: [
          {
            labels: labels({
              block_size: '16',
              cache_dtype: 'auto',
              enable_prefix_caching: 'True',
              gpu_memory_utilization: '0.9',
            }),
            value: 1,
          },
        ],
      },
      {
        name: 'vllm:request_success_total',
        help: 'Count of successfully processed requests.',
        type: 'counter',
        unit: '',
        series: [
          {
            labels: labels({ engine: '0', finished_reason: 'stop', model_name: 'Qwen/Qwen3-0.6B' }),
            value: 2,
          },
          {
            labels: labels({ engine: '0', finished_reason: 'length', model_name: 'Qwen/Qwen3-0.6B' }),
            value: 1,
          },
        ],
      },
    ]);
  });
});

describe('parseExposition in OpenMetrics 1.0', () => {
  describe('accepts what the Prometheus 2.42 scraper accepts', () => {
    it('parses a full exposition of every type with units, _created and exemplars', () => {
      const input = `# HELP acme_http_requests Requests served.
# TYPE acme_http_requests counter
acme_http_requests_total{code="200"} 1027.0 # {trace_id="KOO5S4vxi0o"} 0.67 1520879607.789
acme_http_requests_created{code="200"} 1520430000.123
# TYPE acme_request_seconds counter
# UNIT acme_request_seconds seconds
# HELP acme_request_seconds Time spent.
acme_request_seconds_total 12.5
# TYPE acme_temperature_celsius gauge
# UNIT acme_temperature_celsius celsius
acme_temperature_celsius{room="a"} 21.5
# TYPE acme_latency_seconds histogram
# UNIT acme_latency_seconds seconds
acme_latency_seconds_bucket{le="0.1"} 8 # {trace_id="a"} 0.05
acme_latency_seconds_bucket{le="1.0"} 10
acme_latency_seconds_bucket{le="+Inf"} 11 # {trace_id="b",span_id="c"} 3.2 1520879608.5
acme_latency_seconds_sum 12.3
acme_latency_seconds_count 11
acme_latency_seconds_created 1520430000.0
# TYPE acme_build info
acme_build_info{version="1.2.3",revision="abc"} 1
# TYPE acme_mode stateset
acme_mode{acme_mode="on"} 1
acme_mode{acme_mode="off"} 0
# TYPE acme_queue_bytes gaugehistogram
# UNIT acme_queue_bytes bytes
acme_queue_bytes_bucket{le="1024.0"} 3
acme_queue_bytes_bucket{le="+Inf"} 5
acme_queue_bytes_gcount 5
acme_queue_bytes_gsum 7000.0
# TYPE acme_rpc_seconds summary
acme_rpc_seconds{quantile="0.5"} 0.02
acme_rpc_seconds{quantile="0.99"} 0.3
acme_rpc_seconds_sum 1.5
acme_rpc_seconds_count 40
acme_rpc_seconds_created 1520430000.5
# TYPE acme_thing unknown
acme_thing 7
# EOF
`;
      expect(om(input)).toEqual([
        {
          name: 'acme_http_requests_total',
          help: 'Requests served.',
          type: 'counter',
          unit: '',
          series: [
            {
              labels: labels({ code: '200' }),
              value: 1027,
              created: 1520430000.123,
              exemplar: {
                labels: labels({ trace_id: 'KOO5S4vxi0o' }),
                value: 0.67,
                timestampMs: 1520879607789,
              },
            },
          ],
        },
        {
          name: 'acme_request_seconds_total',
          help: 'Time spent.',
          type: 'counter',
          unit: 'seconds',
          series: [{ labels: [], value: 12.5 }],
        },
        {
          name: 'acme_temperature_celsius',
          help: '',
          type: 'gauge',
          unit: 'celsius',
          series: [{ labels: labels({ room: 'a' }), value: 21.5 }],
        },
        {
          name: 'acme_latency_seconds',
          help: '',
          type: 'histogram',
          unit: 'seconds',
          series: [
            {
              labels: [],
              upperBounds: [0.1, 1, Number.POSITIVE_INFINITY],
              counts: [8, 10, 11],
              exemplars: [
                { labels: labels({ trace_id: 'a' }), value: 0.05 },
                undefined,
                { labels: labels({ span_id: 'c', trace_id: 'b' }), value: 3.2, timestampMs: 1520879608500 },
              ],
              sum: 12.3,
              count: 11,
              created: 1520430000,
            },
          ],
        },
        {
          name: 'acme_build',
          help: '',
          type: 'info',
          unit: '',
          series: [{ labels: labels({ revision: 'abc', version: '1.2.3' }), value: 1 }],
        },
        {
          name: 'acme_mode',
          help: '',
          type: 'stateset',
          unit: '',
          series: [
            { labels: labels({ acme_mode: 'on' }), value: 1 },
            { labels: labels({ acme_mode: 'off' }), value: 0 },
          ],
        },
        {
          name: 'acme_queue_bytes',
          help: '',
          type: 'gaugehistogram',
          unit: 'bytes',
          series: [
            {
              labels: [],
              upperBounds: [1024, Number.POSITIVE_INFINITY],
              counts: [3, 5],
              count: 5,
              sum: 7000,
            },
          ],
        },
        {
          name: 'acme_rpc_seconds',
          help: '',
          type: 'summary',
          unit: '',
          series: [
            {
              labels: [],
              quantiles: [0.5, 0.99],
              values: [0.02, 0.3],
              sum: 1.5,
              count: 40,
              created: 1520430000.5,
            },
          ],
        },
        { name: 'acme_thing', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 7 }] },
      ]);
    });

    it('accepts # EOF without a final line break', () => {
      expect(om('# TYPE a gauge\na 1\n# EOF')).toEqual([
        { name: 'a', help: '', type: 'gauge', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
      expect(om('# EOF')).toEqual([]);
    });

    it('accepts an over-long exemplar and keeps it (Prometheus drops it at ingestion)', () => {
      const long = 'x'.repeat(200);
      const [family] = om(`# TYPE c counter\nc_total 1 # {trace_id="${long}"} 1\n# EOF\n`);
      expect(family.series).toEqual([
        { labels: [], value: 1, exemplar: { labels: labels({ trace_id: long }), value: 1 } },
      ]);
    });

    it('accepts a counter sample without _total and names the family after it', () => {
      expect(om('# TYPE o10_a counter\no10_a 1\n# EOF\n')).toEqual([
        { name: 'o10_a', help: '', type: 'counter', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });

    it('keeps samples read before their TYPE in their own family, so a later copy is a duplicate', () => {
      const duplicates: string[] = [];
      const families = parseExposition('c_total 1\n# TYPE c counter\nc_total 2\n# EOF\n', {
        syntax: 'openmetrics',
        onDuplicateSeries: (family) => duplicates.push(family),
      });
      expect(families).toEqual([
        { name: 'c_total', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
      expect(duplicates).toEqual(['c_total']);
    });

    it('accepts a TYPE after a sample', () => {
      expect(om('a 1\n# TYPE a gauge\n# EOF\n')).toEqual([
        { name: 'a', help: '', type: 'gauge', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });

    it('keeps an unknown escape such as \\t in a label value literally', () => {
      expect(om(String.raw`a{b="x\ty"} 1` + '\n# EOF\n')[0].series[0].labels).toEqual(
        labels({ b: String.raw`x\ty` }),
      );
    });

    it('accepts an exemplar with an empty label set and a timestamp', () => {
      expect(om('# TYPE c counter\nc_total 1 # {} 2 1700000000.5\n# EOF\n')[0].series).toEqual([
        { labels: [], value: 1, exemplar: { labels: [], value: 2, timestampMs: 1700000000500 } },
      ]);
    });

    it('accepts an exemplar after a sample timestamp', () => {
      expect(om('# TYPE c counter\nc_total 1 1700000000 # {a="b"} 2\n# EOF\n')[0].series).toEqual([
        {
          labels: [],
          value: 1,
          timestampMs: 1700000000000,
          exemplar: { labels: labels({ a: 'b' }), value: 2 },
        },
      ]);
    });

    it('accepts an exemplar on any sample whose name ends in _total or _bucket, as 2.42 does', () => {
      expect(om('# TYPE g_total gauge\ng_total 1 # {a="b"} 2\nu_bucket 3 # {} 4\n# EOF\n')).toEqual([
        {
          name: 'g_total',
          help: '',
          type: 'gauge',
          unit: '',
          series: [{ labels: [], value: 1, exemplar: { labels: labels({ a: 'b' }), value: 2 } }],
        },
        {
          name: 'u_bucket',
          help: '',
          type: 'untyped',
          unit: '',
          series: [{ labels: [], value: 3, exemplar: { labels: [], value: 4 } }],
        },
      ]);
    });

    it('reads timestamps as float seconds and returns milliseconds', () => {
      const families = om('a 1 1520879607.789\nb 1 1700000000\nc 1 -1.5\nd 1 1.7e9\ne 1 0\n# EOF\n');
      expect(families.map((f) => f.series[0].timestampMs)).toEqual([
        1520879607789, 1700000000000, -1500, 1700000000000, 0,
      ]);
    });

    it('reads NaN, infinities and integers as numbers, case-insensitively', () => {
      const families = om('a NaN\nb +Inf\nc -inf\nd 17\ne 1.5e-3\nf Infinity\ng nan\n# EOF\n');
      expect(families.map((f) => (f.series[0] as { value: number }).value)).toEqual([
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        17,
        0.0015,
        Number.POSITIVE_INFINITY,
        Number.NaN,
      ]);
    });

    it('unescapes \\\\, \\" and \\n in HELP', () => {
      expect(om(String.raw`# HELP a x\\y \"q\" l1\nl2 \t` + '\na 1\n# EOF\n')[0].help).toBe(
        String.raw`x\y "q" l1` + '\n' + String.raw`l2 \t`,
      );
    });

    it('accepts an empty HELP written with its separator', () => {
      expect(om('# HELP a \na 1\n# EOF\n')[0].help).toBe('');
    });

    it('unescapes label values of samples and exemplars', () => {
      const [family] = om(String.raw`c_total{a="q\"\\\n"} 1 # {b="\"\\\n"} 1` + '\n# EOF\n');
      expect(family.series).toEqual([
        {
          labels: labels({ a: 'q"\\\n' }),
          value: 1,
          exemplar: { labels: labels({ b: '"\\\n' }), value: 1 },
        },
      ]);
    });

    it('reads the UNIT of a family whose name ends in it, and an empty UNIT as none', () => {
      expect(om('# TYPE a_bytes gauge\n# UNIT a_bytes bytes\na_bytes 1\n# UNIT b \nb 1\n# EOF\n')).toEqual([
        { name: 'a_bytes', help: '', type: 'gauge', unit: 'bytes', series: [{ labels: [], value: 1 }] },
        { name: 'b', help: '', type: 'untyped', unit: '', series: [{ labels: [], value: 1 }] },
      ]);
    });

    it('keeps _created of counters, histograms and summaries in seconds', () => {
      const input = [
        '# TYPE c counter',
        'c_total 1',
        'c_created 1700000000.25',
        '# TYPE h histogram',
        'h_bucket{le="+Inf"} 0',
        'h_created 1700000001',
        '# TYPE s summary',
        's_count 0',
        's_created 1700000002',
        '# EOF',
        '',
      ].join('\n');
      expect(om(input).map((f) => f.series[0].created)).toEqual([1700000000.25, 1700000001, 1700000002]);
    });

    it('reports a duplicate series under the family name it returns', () => {
      const duplicates: string[] = [];
      const families = parseExposition(
        '# TYPE c counter\nc_total 1\nc_total 2\nc_created 5\nc_created 6\n# EOF\n',
        {
          syntax: 'openmetrics',
          onDuplicateSeries: (family) => duplicates.push(family),
        },
      );
      expect(families[0].series).toEqual([{ labels: [], value: 1, created: 5 }]);
      expect(duplicates).toEqual(['c_total', 'c_total']);
    });
  });

  describe('rejects what the Prometheus 2.42 scraper rejects, naming the line and the reason', () => {
    const cases: Rejected[] = [
      { what: 'a missing # EOF', input: 'a 1\n', line: 3, reason: 'data does not end with # EOF' },
      {
        what: 'a missing # EOF without a final line break',
        input: 'a 1',
        line: 3,
        reason: 'data does not end with # EOF',
      },
      { what: 'a sample after # EOF', input: '# EOF\na 1\n', line: 4, reason: 'unexpected data after # EOF' },
      {
        what: 'a blank line after # EOF',
        input: '# EOF\n\n',
        line: 4,
        reason: 'unexpected data after # EOF',
      },
      { what: 'a space after # EOF', input: '# EOF \n', line: 3, reason: 'EOF' },
      {
        what: 'a UNIT that is not a suffix of the name',
        input: '# UNIT o05_a seconds\no05_a 1\n# EOF\n',
        line: 3,
        reason: 'unit "seconds" is not a suffix of "o05_a"',
      },
      {
        what: 'a UNIT matching the name without "_"',
        input: '# UNIT aseconds seconds\n# EOF\n',
        line: 3,
        reason: 'unit "seconds" is not a suffix of "aseconds"',
      },
      {
        what: 'a UNIT on a family without samples',
        input: '# UNIT x seconds\n# EOF\n',
        line: 3,
        reason: 'not a suffix',
      },
      {
        what: 'a UNIT after _total',
        input: '# TYPE a_seconds_total counter\n# UNIT a_seconds_total seconds\n# EOF\n',
        line: 4,
        reason: 'not a suffix',
      },
      {
        what: 'an exemplar on a gauge',
        input: '# TYPE o06_a gauge\no06_a 1 # {a="b"} 1\n# EOF\n',
        line: 4,
        reason: '"o06_a" does not support exemplars',
      },
      {
        what: 'an exemplar on a counter sample without _total',
        input: '# TYPE o10_a counter\no10_a 1 # {} 1\n# EOF\n',
        line: 4,
        reason: 'does not support exemplars',
      },
      {
        what: 'an exemplar on a histogram _sum',
        input: '# TYPE h histogram\nh_sum 1 # {} 1\n# EOF\n',
        line: 4,
        reason: 'does not support exemplars',
      },
      { what: 'a tab separator', input: 'a\t1\n# EOF\n', line: 3, reason: 'expected a single space' },
      {
        what: 'two spaces before the value',
        input: 'a  1\n# EOF\n',
        line: 3,
        reason: 'expected a single space',
      },
      {
        what: 'two spaces before the timestamp',
        input: 'a 1  1000\n# EOF\n',
        line: 3,
        reason: 'expected a single space',
      },
      { what: 'a trailing space after the value', input: 'a 1 \n# EOF\n', line: 3, reason: 'trailing space' },
      { what: 'a # hello comment', input: '# hello\n# EOF\n', line: 3, reason: 'unexpected comment' },
      {
        what: 'a comment without a space',
        input: '#HELP a x\n# EOF\n',
        line: 3,
        reason: 'unexpected comment',
      },
      { what: 'a blank line', input: '\n# EOF\n', line: 3, reason: 'blank line' },
      {
        what: 'a whitespace-only line',
        input: ' \n# EOF\n',
        line: 3,
        reason: 'whitespace before the metric name',
      },
      {
        what: 'a trailing comma in labels',
        input: 'a{b="1",} 1\n# EOF\n',
        line: 3,
        reason: 'trailing comma',
      },
      {
        what: 'a space after a comma in labels',
        input: 'a{b="1", c="2"} 1\n# EOF\n',
        line: 3,
        reason: 'expected a label name',
      },
      {
        what: 'a space inside the braces',
        input: 'a{ b="1"} 1\n# EOF\n',
        line: 3,
        reason: 'expected a label name',
      },
      { what: 'a space before "="', input: 'a{b ="1"} 1\n# EOF\n', line: 3, reason: 'expected "="' },
      { what: 'a space before the braces', input: 'a {b="1"} 1\n# EOF\n', line: 3, reason: 'invalid value' },
      {
        what: 'label pairs without a comma',
        input: 'a{b="1"c="2"} 1\n# EOF\n',
        line: 3,
        reason: 'expected "," or "}"',
      },
      {
        what: 'a value straight after the name',
        input: 'a+1\n# EOF\n',
        line: 3,
        reason: 'expected a single space',
      },
      {
        what: 'a raw line break in a label value',
        input: 'a{b="x\ny"} 1\n# EOF\n',
        line: 3,
        reason: 'unterminated label value',
      },
      {
        what: 'TYPE untyped, which is unknown in OpenMetrics',
        input: '# TYPE a untyped\n# EOF\n',
        line: 3,
        reason: 'invalid metric type "untyped"',
      },
      {
        what: 'a HELP without the space before its text',
        input: '# HELP a\n# EOF\n',
        line: 3,
        reason: 'HELP',
      },
      { what: 'a TYPE without its type', input: '# TYPE a\n# EOF\n', line: 3, reason: 'TYPE' },
      {
        what: 'a HELP of a 100k-character name without its text, in a message cut short',
        input: `# HELP ${'p'.repeat(100_000)}\n# EOF\n`,
        line: 3,
        reason: `expected a space and the HELP text after # HELP "${'p'.repeat(64)}"...`,
      },
      {
        what: 'a TYPE with two spaces',
        input: '# TYPE a  gauge\n# EOF\n',
        line: 3,
        reason: 'invalid metric type " gauge"',
      },
      {
        what: 'metadata with two spaces after #',
        input: '#  TYPE a gauge\n# EOF\n',
        line: 3,
        reason: 'unexpected comment',
      },
      { what: 'a NaN timestamp', input: 'a 1 NaN\n# EOF\n', line: 3, reason: 'invalid timestamp "NaN"' },
      {
        what: 'an infinite timestamp',
        input: 'a 1 +Inf\n# EOF\n',
        line: 3,
        reason: 'invalid timestamp "+Inf"',
      },
      {
        what: 'an exemplar without a label set',
        input: 'c_total 1 # 1\n# EOF\n',
        line: 3,
        reason: 'label set of an exemplar',
      },
      {
        what: 'an exemplar without a value',
        input: 'c_total 1 # {}\n# EOF\n',
        line: 3,
        reason: 'exemplar value',
      },
      {
        what: 'data after an exemplar timestamp',
        input: 'c_total 1 # {} 1 2 3\n# EOF\n',
        line: 3,
        reason: 'after the exemplar',
      },
      { what: 'CRLF line endings', input: 'a 1\r\n# EOF\r\n', line: 3, reason: 'carriage return' },
      {
        what: 'a duplicate label name',
        input: 'a{b="1",b="2"} 1\n# EOF\n',
        line: 3,
        reason: 'duplicate label name "b"',
      },
    ];
    it.each(cases)('rejects $what', ({ input, line, reason }) => {
      const error = rejection(OK_OM + input, 'openmetrics');
      expect(error.line).toBe(line);
      expect(error.reason).toContain(reason);
    });

    it('rejects a plain 0.0.4 payload', () => {
      const error = rejection('# HELP a Help.\n# TYPE a gauge\na 1\n', 'openmetrics');
      expect(error).toMatchObject({ line: 3, reason: 'data does not end with # EOF' });
    });

    it('rejects an empty body, which lacks # EOF', () => {
      expect(rejection('', 'openmetrics')).toMatchObject({ line: 1, reason: 'data does not end with # EOF' });
    });
  });
});

describe('syntaxForContentType', () => {
  it('picks OpenMetrics for its media type and text for anything else', () => {
    expect(syntaxForContentType('application/openmetrics-text; version=1.0.0; charset=utf-8')).toBe(
      'openmetrics',
    );
    expect(syntaxForContentType('Application/OpenMetrics-Text')).toBe('openmetrics');
    expect(syntaxForContentType('text/plain; version=0.0.4')).toBe('text');
    expect(syntaxForContentType(undefined)).toBe('text');
    expect(syntaxForContentType('application/openmetrics-textual')).toBe('text');
  });
});

describe('untrusted input', () => {
  it('rejects input that is not a string with an ExpositionParseError', () => {
    expect(() => parseExposition(undefined as unknown as string)).toThrow(ExpositionParseError);
  });

  it('keeps error messages short whatever the size of the offending text', () => {
    const long = 'x'.repeat(100_000);
    for (const [input, syntax] of [
      [`a ${long}\n`, 'text'],
      [`a 1 ${'9'.repeat(100_000)}\n`, 'text'],
      [`# TYPE a ${long}\n`, 'text'],
      [`a{${long}} 1\n`, 'text'],
      [`a{b="1",b="2"} 1 # {${long}="1",${long}="2"} 1\n# EOF\n`, 'openmetrics'],
      [`# ${long}\n# EOF\n`, 'openmetrics'],
    ] as const) {
      expect(rejection(input, syntax).reason.length).toBeLessThan(200);
    }
  });

  it('does not let label or family names reach Object.prototype', () => {
    const families = text(
      '# TYPE constructor gauge\nconstructor{__proto__="x",toString="y"} 1\n__proto__ 2\n',
    );
    expect(families.map((f) => f.name)).toEqual(['constructor', '__proto__']);
    expect(families[0].series[0].labels).toEqual([
      { name: '__proto__', value: 'x' },
      { name: 'toString', value: 'y' },
    ]);
  });
});

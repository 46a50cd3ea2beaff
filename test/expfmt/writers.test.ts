import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '../../src/core/index.js';
import { CounterVec, Registry } from '../../src/core/index.js';
import {
  OPENMETRICS_FORMAT,
  openMetricsFormat,
  TEXT_FORMAT,
  writeExposition,
  writeExpositionBytes,
  writeExpositionSliced,
} from '../../src/expfmt/index.js';

const l = (name: string, value: string) => ({ name, value });

const families: MetricFamily[] = [
  {
    name: 'build',
    help: 'Build information.',
    type: 'info',
    unit: '',
    series: [{ labels: [l('version', '1.2.3')], value: 1 }],
  },
  {
    name: 'door_state',
    help: 'Door.',
    type: 'stateset',
    unit: '',
    series: [
      { labels: [l('door_state', 'open')], value: 1 },
      { labels: [l('door_state', 'closed')], value: 0 },
    ],
  },
  {
    name: 'queue_size',
    help: 'Queue.',
    type: 'gaugehistogram',
    unit: '',
    series: [{ labels: [], upperBounds: [1, Number.POSITIVE_INFINITY], counts: [2, 5], sum: 9, count: 5 }],
  },
  {
    name: 'rpc_seconds',
    help: 'RPC.',
    type: 'summary',
    unit: 'seconds',
    series: [
      {
        labels: [l('op', 'get')],
        quantiles: [0.5, 0.99],
        values: [0.25, Number.NaN],
        sum: 1.5,
        count: 6,
        created: 1_700_000_000.5,
      },
    ],
  },
  {
    name: 'old_style',
    help: 'A counter without _total.',
    type: 'counter',
    unit: '',
    series: [{ labels: [], value: 4 }],
  },
  {
    name: 'hits_total',
    help: 'Hits.',
    type: 'counter',
    unit: '',
    series: [
      {
        labels: [l('path', '/')],
        value: 17,
        timestampMs: 1_520_879_607_789,
        created: 1_520_000_000,
        exemplar: { labels: [l('trace_id', 'KOO5S4vxi0o')], value: 0.67, timestampMs: 1_520_879_607_789 },
      },
    ],
  },
  {
    name: 'req_seconds',
    help: 'Requests.',
    type: 'histogram',
    unit: '',
    series: [
      {
        labels: [],
        upperBounds: [0.1, 1],
        counts: [8, 10],
        sum: 3.5,
        count: 11,
        exemplars: [{ labels: [l('trace_id', 'a')], value: 0.05 }, undefined],
      },
    ],
  },
  {
    name: 'legacy',
    help: '',
    type: 'untyped',
    unit: '',
    series: [{ labels: [], value: 1e-7 }],
  },
];

describe('the text format writer', () => {
  it('maps OpenMetrics-only types the way Go does and drops exemplars and _created', () => {
    expect(writeExposition(families, TEXT_FORMAT)).toBe(
      [
        '# HELP build_info Build information.',
        '# TYPE build_info gauge',
        'build_info{version="1.2.3"} 1',
        '# HELP door_state Door.',
        '# TYPE door_state gauge',
        'door_state{door_state="open"} 1',
        'door_state{door_state="closed"} 0',
        '# HELP queue_size Queue.',
        '# TYPE queue_size histogram',
        'queue_size_bucket{le="1"} 2',
        'queue_size_bucket{le="+Inf"} 5',
        'queue_size_sum 9',
        'queue_size_count 5',
        '# HELP rpc_seconds RPC.',
        '# TYPE rpc_seconds summary',
        'rpc_seconds{op="get",quantile="0.5"} 0.25',
        'rpc_seconds{op="get",quantile="0.99"} NaN',
        'rpc_seconds_sum{op="get"} 1.5',
        'rpc_seconds_count{op="get"} 6',
        '# HELP old_style A counter without _total.',
        '# TYPE old_style counter',
        'old_style 4',
        '# HELP hits_total Hits.',
        '# TYPE hits_total counter',
        'hits_total{path="/"} 17 1520879607789',
        '# HELP req_seconds Requests.',
        '# TYPE req_seconds histogram',
        'req_seconds_bucket{le="0.1"} 8',
        'req_seconds_bucket{le="1"} 10',
        'req_seconds_bucket{le="+Inf"} 11',
        'req_seconds_sum 3.5',
        'req_seconds_count 11',
        '# TYPE legacy untyped',
        'legacy 1e-07',
        '',
      ].join('\n'),
    );
  });
});

describe('the OpenMetrics writer', () => {
  it('writes every type with family names, units, integer counts, timestamps in seconds and exemplars', () => {
    expect(writeExposition(families, OPENMETRICS_FORMAT)).toBe(
      [
        '# HELP build Build information.',
        '# TYPE build info',
        'build_info{version="1.2.3"} 1.0',
        '# HELP door_state Door.',
        '# TYPE door_state stateset',
        'door_state{door_state="open"} 1.0',
        'door_state{door_state="closed"} 0.0',
        '# HELP queue_size Queue.',
        '# TYPE queue_size gaugehistogram',
        'queue_size_bucket{le="1.0"} 2',
        'queue_size_bucket{le="+Inf"} 5',
        'queue_size_gsum 9.0',
        'queue_size_gcount 5',
        '# HELP rpc_seconds RPC.',
        '# TYPE rpc_seconds summary',
        '# UNIT rpc_seconds seconds',
        'rpc_seconds{op="get",quantile="0.5"} 0.25',
        'rpc_seconds{op="get",quantile="0.99"} NaN',
        'rpc_seconds_sum{op="get"} 1.5',
        'rpc_seconds_count{op="get"} 6',
        '# HELP old_style A counter without _total.',
        '# TYPE old_style unknown',
        'old_style 4.0',
        '# HELP hits Hits.',
        '# TYPE hits counter',
        'hits_total{path="/"} 17.0 1.520879607789e+09 # {trace_id="KOO5S4vxi0o"} 0.67 1.520879607789e+09',
        '# HELP req_seconds Requests.',
        '# TYPE req_seconds histogram',
        'req_seconds_bucket{le="0.1"} 8 # {trace_id="a"} 0.05',
        'req_seconds_bucket{le="1.0"} 10',
        'req_seconds_bucket{le="+Inf"} 11',
        'req_seconds_sum 3.5',
        'req_seconds_count 11',
        '# TYPE legacy unknown',
        'legacy 1e-07',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('adds _created lines only when asked', () => {
    const out = writeExposition(families, openMetricsFormat({ created: true }));
    expect(out).toContain(
      'hits_total{path="/"} 17.0 1.520879607789e+09 # {trace_id="KOO5S4vxi0o"} 0.67 1.520879607789e+09\nhits_created{path="/"} 1.52e+09 1.520879607789e+09\n',
    );
    expect(out).toContain('rpc_seconds_count{op="get"} 6\nrpc_seconds_created{op="get"} 1.7000000005e+09\n');
    expect(writeExposition(families, OPENMETRICS_FORMAT)).not.toContain('_created');
  });

  it('writes _created for registry series from their creation time', () => {
    const r = new Registry();
    const before = Date.now() / 1000;
    r.register(new CounterVec({ name: 'c_total', help: 'C.', labelNames: ['a'] }))
      .labels('x')
      .inc();
    const out = writeExposition(r.gather(), openMetricsFormat({ created: true }));
    const created = Number(/c_created\{a="x"\} (\S+)/.exec(out)?.[1]);
    expect(created).toBeGreaterThanOrEqual(before - 0.002);
    expect(created).toBeLessThanOrEqual(Date.now() / 1000 + 0.002);
  });
});

describe('escaping', () => {
  const family: MetricFamily = {
    name: 'e',
    help: 'a "quote" and \\ and\nnewline',
    type: 'gauge',
    unit: '',
    series: [{ labels: [l('v', 'a "quote" and \\ and\nnewline\tand tab')], value: 1 }],
  };

  it('escapes backslash and newline in text HELP but leaves quotes alone', () => {
    expect(writeExposition([family], TEXT_FORMAT)).toBe(
      '# HELP e a "quote" and \\\\ and\\nnewline\n# TYPE e gauge\ne{v="a \\"quote\\" and \\\\ and\\nnewline\tand tab"} 1\n',
    );
  });

  it('also escapes quotes in OpenMetrics HELP', () => {
    expect(writeExposition([family], OPENMETRICS_FORMAT)).toBe(
      '# HELP e a \\"quote\\" and \\\\ and\\nnewline\n# TYPE e gauge\ne{v="a \\"quote\\" and \\\\ and\\nnewline\tand tab"} 1.0\n# EOF\n',
    );
  });
});

describe('registry series label text', () => {
  it('is the same as the label text built from the series labels', () => {
    const r = new Registry();
    const v = r.register(
      new CounterVec({
        name: 'c_total',
        help: 'C.',
        labelNames: ['zz', 'aa', 'mm'],
        constLabels: { bb: 'const "q"', yy: 'y\\' },
      }),
    );
    v.labels('1\n', '2"', '3').inc();
    v.labels('', '', '').inc(2);
    const [family] = r.gather();
    const plain: MetricFamily = {
      ...family,
      series: family.series.map((s) => ({ labels: s.labels, value: (s as { value: number }).value })),
    };
    for (const format of [TEXT_FORMAT, OPENMETRICS_FORMAT]) {
      expect(writeExposition([family], format)).toBe(writeExposition([plain], format));
    }
    expect(writeExposition([family], TEXT_FORMAT)).toContain(
      'c_total{aa="2\\"",bb="const \\"q\\"",mm="3",yy="y\\\\",zz="1\\n"} 1\n',
    );
  });
});

describe('writing a large exposition without holding the event loop', () => {
  const registry = new Registry();
  const big = registry.register(
    new CounterVec({ name: 'big_total', help: 'Big "one".', labelNames: ['i', 'v'] }),
  );
  for (let i = 0; i < 50_000; i++) big.labels(String(i), 'ü\n"').inc(i);
  const gathered = registry.gather();

  it.each([TEXT_FORMAT, OPENMETRICS_FORMAT])(
    'gives the text, or its UTF-8 bytes, of writeExposition in $name, letting timers run meanwhile',
    async (format) => {
      const expected = writeExposition(gathered, format);
      let turns = 0;
      const counter = setInterval(() => turns++, 0);
      const text = await writeExpositionSliced(gathered, format, 1);
      const bytes = await writeExpositionBytes(gathered, format, 1);
      clearInterval(counter);
      expect(text).toBe(expected);
      expect(bytes.equals(Buffer.from(expected))).toBe(true);
      expect(turns).toBeGreaterThan(2);
    },
  );

  it('lets concurrent writers take turns: one slice per turn of the event loop, whoever writes', async () => {
    // With sliceMs 0 every slice of 1000 series ends with a yield: 50 slices per writer.
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const writes = Array.from({ length: 4 }, () => writeExpositionBytes(gathered, TEXT_FORMAT, 0));
    await Promise.all(writes);
    counting = false;
    // Four writers yielding 50 times each: 200 slices, each in a turn of its own (a writer per
    // setImmediate would run four slices per turn, in about 50 turns).
    expect(turns).toBeGreaterThanOrEqual(200);
  });
});

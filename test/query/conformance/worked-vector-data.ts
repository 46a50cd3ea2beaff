/**
 * The reference's worked vectors (prometheus-formats-and-promql.md §4.6) as conformance data, shifted to
 * start at T0; the ones with staleness markers are left out because OpenMetrics cannot carry markers (the
 * staleness conformance test sends those through remote write instead).
 */
import type { DataSeries } from './dataset.js';

export function workedVectorSeries(T0: number): DataSeries[] {
  const every = (
    name: string,
    stepS: number,
    values: readonly number[],
    labels: Record<string, string> = {},
  ) => ({
    name,
    labels,
    samples: values.map((v, i) => [T0 + i * stepS * 1000, v] as [number, number]),
  });
  const points = (
    name: string,
    pts: readonly (readonly [number, number])[],
    labels: Record<string, string> = {},
  ) => ({
    name,
    labels,
    samples: pts.map(([s, v]) => [T0 + s * 1000, v] as [number, number]),
  });
  const range = (start: number, step: number, n: number) =>
    Array.from({ length: n + 1 }, (_, i) => start + i * step);
  const out: DataSeries[] = [
    every('wv_r1', 15, range(0, 15, 20)),
    points('wv_r3', [
      [10, 5],
      [20, 12],
      [30, 20],
      [40, 3],
      [50, 9],
      [60, 15],
    ]),
    every('wv_r4', 60, range(10, 10, 5)),
    every('wv_r4b', 60, range(2, 10, 5)),
    every('wv_r5', 15, range(0, 15, 10)),
    points('wv_r6', [
      [0, 10],
      [30, 7],
      [60, 12],
      [90, 4],
    ]),
    every('wv_r7', 300, [...range(0, 10, 9), 0, 10]),
    every('wv_r8', 240, range(240, 240, 10)),
    points('wv_i1', [
      [0, 0],
      [15, 10],
      [30, 25],
      [45, 45],
    ]),
    points('wv_i2', [
      [0, 100],
      [15, 120],
      [30, 5],
    ]),
    points('wv_i4', [
      [0, 3],
      [5, 9],
      [25, 30],
    ]),
    points('wv_i5', [
      [0, 0],
      [60, 60],
      [120, 120],
    ]),
    points('wv_l1', [[0, 1]]),
  ];
  const histograms: [string, [string, number][]][] = [
    [
      'h1',
      [
        ['0.1', 10],
        ['0.5', 30],
        ['1', 45],
        ['+Inf', 50],
      ],
    ],
    [
      'h2',
      [
        ['1', 5],
        ['2', 3],
        ['4', 8],
        ['+Inf', 10],
      ],
    ],
    [
      'h3',
      [
        ['1', 5],
        ['2', 10],
      ],
    ],
    [
      'h4',
      [
        ['1', 0],
        ['2', 0],
        ['+Inf', 0],
      ],
    ],
    [
      'h5',
      [
        ['-1', 2],
        ['0', 5],
        ['1', 8],
        ['+Inf', 10],
      ],
    ],
    ['h6', [['+Inf', 7]]],
    [
      'h7',
      [
        ['0.1', 0],
        ['1', 4],
        ['+Inf', 4],
      ],
    ],
    [
      'h8',
      [
        ['0.1', 0],
        ['0.2', 0],
        ['0.5', 4],
        ['+Inf', 4],
      ],
    ],
    [
      'h9',
      [
        ['0.25', 3],
        ['0.5', 7],
        ['1', 9],
        ['2.5', 10],
        ['+Inf', 12],
      ],
    ],
    [
      'h10',
      [
        ['1', 3],
        ['1.0', 2],
        ['+Inf', 10],
      ],
    ],
  ];
  for (const [id, buckets] of histograms) {
    for (const [le, count] of buckets)
      out.push(points('wv_h_bucket', [[0, count]], { set: id, ...(id === 'h10' ? {} : { job: 'x' }), le }));
  }
  const p1: [string, string, number, number][] = [
    ['a', '0.1', 0, 1],
    ['a', '0.5', 0, 3],
    ['a', '+Inf', 0, 4],
    ['b', '0.1', 10, 2],
    ['b', '0.5', 20, 2],
    ['b', '+Inf', 30, 6],
  ];
  for (const [instance, le, start, step] of p1)
    out.push(every('wv_p1_bucket', 15, range(start, step, 8), { instance, le }));
  for (const [labels, v] of [
    [{ job: 'a', instance: '1' }, 1],
    [{ job: 'a', instance: '2' }, 2],
    [{ job: 'b', instance: '3' }, 4],
  ] as const) {
    out.push(points('wv_x', [[0, v]], labels));
  }
  out.push(points('wv_y', [[0, 8]], { job: 'a' }));
  out.push(points('wv_m1', [[0, 1]], { job: 'a' }));
  out.push(points('wv_m2', [[0, 2]], { job: 'a' }));
  // Precision cases: summed in label order, which is the order 2.42 reads series from blocks.
  const precision: [string, number[]][] = [
    ['tenths', [0.1, 0.2, 0.3]],
    ['cancel', [1e100, 1, -1e100]],
    ['nan', [1, Number.NaN]],
    ['inf', [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
  ];
  for (const [set, values] of precision) {
    for (const [i, v] of values.entries()) out.push(points('wv_s', [[0, v]], { set, i: String(i + 1) }));
  }
  return out;
}

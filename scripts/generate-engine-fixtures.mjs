#!/usr/bin/env node
// Writes realistic inference-engine metric expositions into test/fixtures/engines/ (or --out <dir>):
//   vllm.txt, vllm-openmetrics.txt, sglang.txt, trtllm.txt, lmcache.txt
// They are what each engine's Python `prometheus_client` serves, reproduced byte for byte in layout:
// HELP/TYPE lines, counters with `_total` and their trailing `_created` gauge families, histograms with
// `_bucket`/`_count`/`_sum` and `le="+Inf"`, labels sorted by name, numbers formatted by
// prometheus_client's `floatToGoString` (Python `repr`, switched to `1.234567e+06` when the integer part has
// more than six digits, including its `e+012` quirk), and for the multiprocess engines the sample order of
// `MultiProcessCollector` (no `_created`, `_sum` before the buckets, a `pid` label on `all`-mode gauges).
//
// Metric names, types, HELP texts, label names and bucket lists were read from the engines' public sources
// (see test/fixtures/engines/README.md for the files, and the "Uncertain" comments below for what could
// not be confirmed); the values are invented by a seeded PRNG. Values only meet + - * / and rounding, never
// Math.exp/log/pow, whose last digit may vary between JavaScript engines, and numbers are printed from
// Number::toString, whose digits ECMA-262 fixes: `node scripts/generate-engine-fixtures.mjs` always writes
// the same bytes.
//
// Usage: node scripts/generate-engine-fixtures.mjs [--out <dir>]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------------------
// Number formatting: Python repr() and prometheus_client.utils.floatToGoString
// ---------------------------------------------------------------------------------------------------------

/** Python's repr() of a float: shortest round-trip digits, exponent form when decpt <= -4 or > 16. */
export function pyRepr(x) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // Number::toString gives the shortest digits that round-trip, the closest when several do (ECMA-262
  // requires it), like Python's repr. Take its digits and the decimal point position: x = 0.DIGITS * 10^decpt.
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let decpt = whole.length + Number(exponent);
  const leadingZeros = /^0*/.exec(digits)[0].length;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  decpt -= leadingZeros;
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const abs = Math.abs(e);
    return `${sign}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** prometheus_client.utils.floatToGoString. */
export function goString(d) {
  if (d === Number.POSITIVE_INFINITY) return '+Inf';
  if (d === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(d)) return 'NaN';
  const s = pyRepr(d);
  const dot = s.indexOf('.');
  if (d > 0 && dot > 6) {
    const mantissa = `${s[0]}.${s.slice(1, dot)}${s.slice(dot + 1)}`.replace(/[0.]+$/, '');
    return `${mantissa}e+0${dot - 1}`;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness (arithmetic only)
// ---------------------------------------------------------------------------------------------------------

function hashSeed(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
function prng(name) {
  let state = hashSeed(name);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Uniform float in [lo, hi). */
    between: (lo, hi) => lo + (hi - lo) * next(),
    /** Uniform integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
    /** `value` scaled by a factor in [1 - spread, 1 + spread]. */
    jitter: (value, spread) => value * (1 + spread * (2 * next() - 1)),
  };
}

/** x ** k for a small non-negative integer k, by repeated multiplication. */
function ipow(x, k) {
  let r = 1;
  for (let i = 0; i < k; i++) r *= x;
  return r;
}

/** CDF of a log-logistic distribution with median `median` and integer shape `k`: x^k / (x^k + m^k). */
function logLogisticCdf(x, median, k) {
  if (x <= 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  const a = ipow(x / median, k);
  return a / (1 + a);
}

/**
 * Cumulative bucket counts and a sum for `count` observations of a log-logistic distribution. `bounds`
 * must end with +Inf. With `integer`, observations are whole numbers, so the sum is too.
 */
function observe(rng, bounds, count, median, k, integer = false) {
  const finite = bounds.length - 1;
  // Observations expected in the finite buckets; the rest fall in +Inf.
  const inFinite = Math.round(count * logLogisticCdf(bounds[finite - 1], median, k));
  // Per-bucket weights: the distribution's mass in each bucket, jittered by up to 12%.
  const weights = [];
  let total = 0;
  for (let i = 0; i < finite; i++) {
    const mass =
      logLogisticCdf(bounds[i], median, k) - (i === 0 ? 0 : logLogisticCdf(bounds[i - 1], median, k));
    const w = rng.jitter(mass, 0.12);
    weights.push(w);
    total += w;
  }
  // Largest-remainder rounding so that the finite buckets hold exactly `inFinite` observations.
  const exact = weights.map((w) => (total > 0 ? (w * inFinite) / total : 0));
  const counts = exact.map(Math.floor);
  let left = inFinite - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j++, left--) counts[order[j % order.length][1]]++;
  counts.push(count - inFinite);
  const cumulative = [];
  let acc = 0;
  for (const n of counts) {
    acc += n;
    cumulative.push(acc);
  }
  let sum = 0;
  for (let i = 0; i < bounds.length; i++) {
    const n = counts[i];
    if (n === 0) continue;
    const lower = i === 0 ? Math.min(bounds[0], median) / 2 : bounds[i - 1];
    const upper = bounds[i] === Number.POSITIVE_INFINITY ? lower * 1.6 : bounds[i];
    // The mean of a bucket's observations sits between its bounds, nearer the side the median is on.
    const towardUpper = upper <= median ? 0.62 : 0.38;
    let mean = lower + (upper - lower) * rng.jitter(towardUpper, 0.25);
    if (integer) mean = Math.max(Math.ceil(lower === upper ? lower : lower + 1e-9), Math.round(mean));
    sum += n * mean;
  }
  if (integer) sum = Math.round(sum);
  return { cumulative, sum };
}

const INF = Number.POSITIVE_INFINITY;
/** prometheus_client.Histogram appends +Inf to a bucket list that does not end with it. */
const withInf = (buckets) => (buckets[buckets.length - 1] === INF ? buckets : [...buckets, INF]);

// ---------------------------------------------------------------------------------------------------------
// The prometheus_client data model (Metric with samples) and its two writers
// ---------------------------------------------------------------------------------------------------------

/** A collected family, as prometheus_client.metrics_core.Metric: counters are named without `_total`. */
function family(name, type, help) {
  return { name, type, help, samples: [] };
}

/** Labels as a list of [name, value] pairs (Python dict order); writers sort them. */
function sample(name, labels, value) {
  return { name, labels, value };
}

function escapeLabelValue(v) {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels) {
  if (labels.length === 0) return '';
  const sorted = [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `{${sorted.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

const sampleLine = (s) => `${s.name}${labelText(s.labels)} ${goString(s.value)}\n`;

/** prometheus_client.exposition.generate_latest: text format 0.0.4. */
function textExposition(families) {
  const out = [];
  for (const m of families) {
    const mname = m.type === 'counter' ? `${m.name}_total` : m.name;
    const help = m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
    out.push(`# HELP ${mname} ${help}\n`, `# TYPE ${mname} ${m.type}\n`);
    const omSamples = new Map();
    for (const s of m.samples) {
      const suffix = ['_created', '_gsum', '_gcount'].find((x) => s.name === m.name + x);
      if (suffix === undefined) out.push(sampleLine(s));
      else {
        if (!omSamples.has(suffix)) omSamples.set(suffix, []);
        omSamples.get(suffix).push(sampleLine(s));
      }
    }
    for (const suffix of [...omSamples.keys()].sort()) {
      out.push(`# HELP ${m.name}${suffix} ${help}\n`, `# TYPE ${m.name}${suffix} gauge\n`);
      out.push(...omSamples.get(suffix));
    }
  }
  return out.join('');
}

/** prometheus_client.openmetrics.exposition.generate_latest: OpenMetrics 1.0. */
function openMetricsExposition(families) {
  const out = [];
  for (const m of families) {
    const help = m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
    out.push(`# HELP ${m.name} ${help}\n`, `# TYPE ${m.name} ${m.type}\n`);
    for (const s of m.samples) out.push(sampleLine(s));
  }
  out.push('# EOF\n');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------
// A single-process registry (prometheus_client.REGISTRY): metric wrappers with children
// ---------------------------------------------------------------------------------------------------------

/** Creation timestamps: time.time() at each child's creation, a few microseconds apart. */
function clock(rng, start) {
  let now = start;
  return (gapSeconds = 0) => {
    now += gapSeconds + rng.between(0.000004, 0.00003);
    return now;
  };
}

/** A Counter, Gauge or Histogram with labelnames; children keep creation order, as the Python dict does. */
function metric(type, name, help, labelnames, buckets) {
  const base = type === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
  return { type, name: base, help, labelnames, buckets: buckets && withInf(buckets), children: [] };
}

/** Creates a child: `values` are the label values in labelnames order. */
function child(m, values, data) {
  if (values.length !== m.labelnames.length) throw new Error(`${m.name}: wrong label count`);
  const labels = m.labelnames.map((n, i) => [n, String(values[i])]);
  m.children.push({ labels, ...data });
  return m;
}

/** Collects a metric wrapper into a family: per child, the samples prometheus_client's _child_samples gives. */
function collect(m) {
  const f = family(m.name, m.type, m.help);
  for (const c of m.children) {
    if (m.type === 'counter') {
      f.samples.push(sample(`${m.name}_total`, c.labels, c.value));
      if (c.created !== undefined) f.samples.push(sample(`${m.name}_created`, c.labels, c.created));
    } else if (m.type === 'gauge') {
      f.samples.push(sample(m.name, c.labels, c.value));
    } else {
      m.buckets.forEach((bound, i) => {
        f.samples.push(sample(`${m.name}_bucket`, [...c.labels, ['le', goString(bound)]], c.cumulative[i]));
      });
      f.samples.push(sample(`${m.name}_count`, c.labels, c.cumulative[c.cumulative.length - 1]));
      f.samples.push(sample(`${m.name}_sum`, c.labels, c.sum));
      if (c.created !== undefined) f.samples.push(sample(`${m.name}_created`, c.labels, c.created));
    }
  }
  return f;
}

/**
 * The default collectors every prometheus_client REGISTRY starts with, in registration order (the package
 * imports gc_collector, platform_collector and process_collector in that order): GCCollector,
 * PlatformCollector, ProcessCollector. Their Counter/GaugeMetricFamily samples carry no `_created`.
 */
function defaultCollectors(rng, proc) {
  const out = [];
  const gcStats = [
    { collected: rng.int(20000, 90000), uncollectable: 0, collections: rng.int(2500, 9000) },
    { collected: rng.int(3000, 12000), uncollectable: 0, collections: rng.int(220, 800) },
    { collected: rng.int(400, 3000), uncollectable: 0, collections: rng.int(15, 70) },
  ];
  const gc = [
    ['python_gc_objects_collected', 'Objects collected during gc', 'collected'],
    ['python_gc_objects_uncollectable', 'Uncollectable objects found during GC', 'uncollectable'],
    ['python_gc_collections', 'Number of times this generation was collected', 'collections'],
  ];
  for (const [name, help, key] of gc) {
    const f = family(name, 'counter', help);
    gcStats.forEach((st, gen) => {
      f.samples.push(sample(`${name}_total`, [['generation', String(gen)]], st[key]));
    });
    out.push(f);
  }
  const info = family('python_info', 'gauge', 'Python platform information');
  info.samples.push(
    sample(
      'python_info',
      [
        ['version', proc.python],
        ['implementation', 'CPython'],
        ['major', proc.python.split('.')[0]],
        ['minor', proc.python.split('.')[1]],
        ['patchlevel', proc.python.split('.')[2]],
      ],
      1,
    ),
  );
  out.push(info);
  // ProcessCollector reads /proc/self/stat: ticks are 100 per second, pages 4096 bytes.
  const gauge = (name, help, value) => {
    const f = family(name, 'gauge', help);
    f.samples.push(sample(name, [], value));
    return f;
  };
  out.push(gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', proc.vmemPages * 4096));
  out.push(gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', proc.rssPages * 4096));
  out.push(
    gauge(
      'process_start_time_seconds',
      'Start time of the process since unix epoch in seconds.',
      proc.startTicks / 100 + proc.btime,
    ),
  );
  const cpu = family('process_cpu_seconds', 'counter', 'Total user and system CPU time spent in seconds.');
  cpu.samples.push(sample('process_cpu_seconds_total', [], proc.utimeTicks / 100 + proc.stimeTicks / 100));
  out.push(cpu);
  out.push(gauge('process_open_fds', 'Number of open file descriptors.', proc.openFds));
  out.push(gauge('process_max_fds', 'Maximum number of open file descriptors.', 1048576));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Multiprocess mode: per-process mmap files merged by prometheus_client.multiprocess.MultiProcessCollector
// ---------------------------------------------------------------------------------------------------------

/**
 * One process writing into PROMETHEUS_MULTIPROC_DIR. Each file keeps its keys in creation order (a child's
 * value is created, and its key written, on its first `.labels()`); the file name is
 * `<type>_<pid>.db`, or `gauge_<mode>_<pid>.db` for gauges.
 */
function mpProcess(pid) {
  const files = new Map();
  const file = (prefix) => {
    const name = `${prefix}_${pid}.db`;
    if (!files.has(name))
      files.set(name, { name, type: prefix.split('_')[0], mode: prefix.split('_')[1], pid, keys: [] });
    return files.get(name);
  };
  const labelPairs = (labels) => Object.entries(labels).map(([k, v]) => [k, String(v)]);
  return {
    files,
    counter(name, help, labels, value) {
      const base = name.endsWith('_total') ? name.slice(0, -6) : name;
      file('counter').keys.push({
        metric: base,
        help,
        name: `${base}_total`,
        labels: labelPairs(labels),
        value,
      });
    },
    gauge(mode, name, help, labels, value, timestamp = 0) {
      file(`gauge_${mode}`).keys.push({
        metric: name,
        help,
        name,
        labels: labelPairs(labels),
        value,
        timestamp,
      });
    },
    /** Histogram._metric_init creates the `_sum` value first, then one value per bucket (not cumulative). */
    histogram(name, help, labels, buckets, observed) {
      const f = file('histogram');
      const pairs = labelPairs(labels);
      f.keys.push({ metric: name, help, name: `${name}_sum`, labels: pairs, value: observed.sum });
      buckets.forEach((bound, i) => {
        const n = observed.cumulative[i] - (i === 0 ? 0 : observed.cumulative[i - 1]);
        f.keys.push({
          metric: name,
          help,
          name: `${name}_bucket`,
          labels: [...pairs, ['le', goString(bound)]],
          value: n,
        });
      });
    },
  };
}

/**
 * MultiProcessCollector.collect(): reads the files in the order given (glob order; here sorted by name),
 * creates families in first-seen order and merges samples as `_accumulate_metrics` does.
 */
function mergeMultiprocess(processes) {
  const files = processes.flatMap((p) => [...p.files.values()]).sort((a, b) => (a.name < b.name ? -1 : 1));
  const metrics = new Map();
  for (const f of files) {
    for (const key of f.keys) {
      const labelsKey = [...key.labels].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      let m = metrics.get(key.metric);
      if (m === undefined) {
        m = { name: key.metric, type: f.type, help: key.help, mode: undefined, raw: [] };
        metrics.set(key.metric, m);
      }
      if (f.type === 'gauge') {
        m.mode = f.mode;
        m.raw.push({
          name: key.name,
          labels: [...labelsKey, ['pid', String(f.pid)]],
          value: key.value,
          timestamp: key.timestamp,
        });
      } else m.raw.push({ name: key.name, labels: labelsKey, value: key.value });
    }
  }
  const out = [];
  for (const m of metrics.values()) {
    // Python: samples = defaultdict(float); assignment and += keep a key's first insertion position.
    const samples = new Map();
    const add = (name, labels, value, how) => {
      const k = JSON.stringify([name, labels]);
      const current = samples.get(k);
      if (current === undefined) samples.set(k, { name, labels, value: how === 'set' ? value : 0 + value });
      else current.value = how === 'set' ? value : current.value + value;
    };
    const timestamps = new Map();
    const buckets = new Map();
    for (const s of m.raw) {
      if (m.type === 'gauge') {
        const withoutPid = s.labels.filter((l) => l[0] !== 'pid');
        if (m.mode === 'mostrecent' || m.mode === 'livemostrecent') {
          const k = JSON.stringify([s.name, withoutPid]);
          if ((timestamps.get(k) ?? 0) < s.timestamp) {
            add(s.name, withoutPid, s.value, 'set');
            timestamps.set(k, s.timestamp);
          }
        } else if (m.mode === 'sum' || m.mode === 'livesum') add(s.name, withoutPid, s.value, 'add');
        else if (m.mode === 'all' || m.mode === 'liveall') add(s.name, s.labels, s.value, 'set');
        else throw new Error(`multiprocess mode ${m.mode} not modelled`);
      } else if (m.type === 'histogram') {
        const le = s.labels.find((l) => l[0] === 'le');
        if (le === undefined) add(s.name, s.labels, s.value, 'add');
        else {
          const withoutLe = s.labels.filter((l) => l[0] !== 'le');
          const k = JSON.stringify(withoutLe);
          if (!buckets.has(k)) buckets.set(k, { labels: withoutLe, values: new Map() });
          const values = buckets.get(k).values;
          const bound = le[1] === '+Inf' ? INF : Number(le[1]);
          values.set(bound, (values.get(bound) ?? 0) + s.value);
        }
      } else add(s.name, s.labels, s.value, 'add');
    }
    for (const { labels, values } of buckets.values()) {
      let acc = 0;
      for (const bound of [...values.keys()].sort((a, b) => a - b)) {
        acc += values.get(bound);
        add(`${m.name}_bucket`, [...labels, ['le', goString(bound)]], acc, 'set');
      }
      add(`${m.name}_count`, labels, acc, 'set');
    }
    const f = family(m.name, m.type, m.help);
    for (const s of samples.values()) f.samples.push(sample(s.name, s.labels, s.value));
    out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// vLLM (V1 engine): vllm/v1/metrics/loggers.py, PrometheusStatLogger, in the single-process REGISTRY
// ---------------------------------------------------------------------------------------------------------

/** vllm.v1.metrics.loggers.build_1_2_5_buckets. */
function build125Buckets(maxValue) {
  const out = [];
  for (let scale = 1; ; scale *= 10) {
    for (const m of [1, 2, 5]) {
      if (m * scale > maxValue) return out;
      out.push(m * scale);
    }
  }
}

/**
 * vLLM's families with `engineCores` data-parallel engine cores (4 in the fixtures). Every engine core adds
 * about 38 KB of text, so larger counts give the bigger expositions the benchmarks need (a wide
 * expert-parallel deployment runs 16 to 32 engine cores behind one API server).
 */
function vllmFamilies(engineCores = 4) {
  const rng = prng('vllm');
  const model = 'meta-llama/Llama-3.1-70B-Instruct';
  const maxModelLen = 131072;
  // Data parallelism: one AsyncLLM with several engine cores, told apart by the `engine` label. Speculative
  // decoding and LoRA metrics are absent: vLLM refuses both with more than one engine core per AsyncLLM.
  const engines = Array.from({ length: engineCores }, (_, i) => String(i));
  const created = clock(rng, 1754467261.4437);
  const labelnames = ['model_name', 'engine'];

  // Per-engine traffic: requests finished, tokens, and the request-level counts the histograms share.
  const traffic = engines.map((e) => {
    const finished = rng.int(21000, 27000);
    const stop = Math.round(finished * rng.between(0.86, 0.9));
    const abort = rng.int(60, 260);
    const length = finished - stop - abort;
    const prompt = Math.round(finished * rng.between(1650, 1950));
    const generation = Math.round(finished * rng.between(310, 390));
    const queries = Math.round(prompt * rng.between(1.01, 1.04));
    return {
      e,
      finished,
      reasons: { stop, length, abort },
      prompt,
      generation,
      queries,
      hits: Math.round(queries * rng.between(0.33, 0.47)),
      preemptions: rng.int(0, 45),
      running: rng.int(18, 44),
      waiting: rng.int(0, 6),
      totalBlocks: 29126,
      usedBlocks: rng.int(7000, 21000),
      iterations: rng.int(560000, 690000),
    };
  });

  const metrics = [];
  const perEngine = (type, name, help, dataOf, buckets) => {
    const m = metric(type, name, help, labelnames, buckets);
    for (const t of traffic) child(m, [model, t.e], dataOf(t));
    metrics.push(m);
    return m;
  };
  const gauge = (name, help, f) => perEngine('gauge', name, help, (t) => ({ value: f(t) }));
  const counter = (name, help, f) =>
    perEngine('counter', name, help, (t) => ({ value: f(t), created: created() }));
  const histogram = (name, help, buckets, f) =>
    perEngine('histogram', name, help, (t) => ({ ...f(t, withInf(buckets)), created: created() }), buckets);

  const usage = (t) => t.usedBlocks / t.totalBlocks;
  gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', (t) => t.running);
  gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', (t) => t.waiting);
  gauge(
    'vllm:gpu_cache_usage_perc',
    'GPU KV-cache usage. 1 means 100 percent usage.DEPRECATED: Use vllm:kv_cache_usage_perc instead.',
    usage,
  );
  counter(
    'vllm:gpu_prefix_cache_queries',
    'GPU prefix cache queries, in terms of number of queriedtokens. DEPRECATED: Use vllm:prefix_cache_queries instead.',
    (t) => t.queries,
  );
  counter(
    'vllm:gpu_prefix_cache_hits',
    'GPU prefix cache hits, in terms of number of cached tokens. DEPRECATED: Use vllm:prefix_cache_hits instead.',
    (t) => t.hits,
  );
  gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', usage);
  counter(
    'vllm:prefix_cache_queries',
    'Prefix cache queries, in terms of number of queried tokens.',
    (t) => t.queries,
  );
  counter('vllm:prefix_cache_hits', 'Prefix cache hits, in terms of number of cached tokens.', (t) => t.hits);
  counter('vllm:num_preemptions', 'Cumulative number of preemption from the engine.', (t) => t.preemptions);
  counter('vllm:prompt_tokens', 'Number of prefill tokens processed.', (t) => t.prompt);
  counter('vllm:generation_tokens', 'Number of generation tokens processed.', (t) => t.generation);

  // vllm:request_success: children made up front, for reason in FinishReason, for idx in engine_indexes.
  const success = metric('counter', 'vllm:request_success', 'Count of successfully processed requests.', [
    ...labelnames,
    'finished_reason',
  ]);
  for (const reason of ['stop', 'length', 'abort']) {
    for (const t of traffic)
      child(success, [model, t.e, reason], { value: t.reasons[reason], created: created() });
  }
  metrics.push(success);

  const tokenBuckets = build125Buckets(maxModelLen);
  histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', tokenBuckets, (t, b) =>
    observe(rng, b, t.finished, t.prompt / t.finished / 1.3, 2, true),
  );
  histogram(
    'vllm:request_generation_tokens',
    'Number of generation tokens processed.',
    tokenBuckets,
    (t, b) => observe(rng, b, t.finished, t.generation / t.finished / 1.25, 2, true),
  );
  histogram(
    'vllm:iteration_tokens_total',
    'Histogram of number of tokens per engine_step.',
    [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384],
    (t, b) => observe(rng, b, t.iterations, 34, 2, true),
  );
  histogram(
    'vllm:request_max_num_generation_tokens',
    'Histogram of maximum number of requested generation tokens.',
    tokenBuckets,
    (t, b) => observe(rng, b, t.finished, 1400, 3, true),
  );
  histogram('vllm:request_params_n', 'Histogram of the n request parameter.', [1, 2, 5, 10, 20], (t, b) => {
    // Nearly every request asks for n=1; a few ask for 2.
    const twos = rng.int(0, 40);
    const cumulative = b.map((bound) => (bound < 2 ? t.finished - twos : t.finished));
    return { cumulative, sum: t.finished + twos };
  });
  histogram(
    'vllm:request_params_max_tokens',
    'Histogram of the max_tokens request parameter.',
    tokenBuckets,
    (t, b) => observe(rng, b, Math.round(t.finished * 0.93), 2048, 3, true),
  );
  histogram(
    'vllm:time_to_first_token_seconds',
    'Histogram of time to first token in seconds.',
    [
      0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
      80.0, 160.0, 640.0, 2560.0,
    ],
    (t, b) => observe(rng, b, t.finished - t.reasons.abort + t.running, 0.34, 2),
  );
  histogram(
    'vllm:time_per_output_token_seconds',
    'Histogram of time per output token in seconds.',
    [
      0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
      80.0,
    ],
    (t, b) => observe(rng, b, t.generation - t.finished, 0.029, 3),
  );
  histogram(
    'vllm:time_per_prefill_token_request_seconds',
    'Time spent per token during prefill  phase in seconds',
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0],
    (t, b) => observe(rng, b, t.finished, 0.00035, 2),
  );
  const latency = [
    0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
    960.0, 1920.0, 7680.0,
  ];
  histogram(
    'vllm:e2e_request_latency_seconds',
    'Histogram of e2e request latency in seconds.',
    latency,
    (t, b) => observe(rng, b, t.finished, 9.4, 2),
  );
  histogram(
    'vllm:request_queue_time_seconds',
    'Histogram of time spent in WAITING phase for request.',
    latency,
    (t, b) => observe(rng, b, t.finished, 0.06, 2),
  );
  histogram(
    'vllm:request_inference_time_seconds',
    'Histogram of time spent in RUNNING phase for request.',
    latency,
    (t, b) => observe(rng, b, t.finished, 9.1, 2),
  );
  histogram(
    'vllm:request_prefill_time_seconds',
    'Histogram of time spent in PREFILL phase for request.',
    latency,
    (t, b) => observe(rng, b, t.finished, 0.31, 2),
  );
  histogram(
    'vllm:request_decode_time_seconds',
    'Histogram of time spent in DECODE phase for request.',
    latency,
    (t, b) => observe(rng, b, t.finished, 8.7, 2),
  );

  // vllm:cache_config_info: a gauge set to 1 whose labels are CacheConfig.metrics_info() (every CacheConfig
  // field as a string) plus `engine`. Uncertain: the field list follows vLLM 0.10-era CacheConfig loosely.
  const cacheInfo = {
    block_size: '16',
    gpu_memory_utilization: '0.9',
    swap_space: '4',
    cache_dtype: 'auto',
    is_attention_free: 'False',
    num_gpu_blocks_override: 'None',
    sliding_window: 'None',
    enable_prefix_caching: 'True',
    prefix_caching_hash_algo: 'builtin',
    cpu_offload_gb: '0',
    calculate_kv_scales: 'False',
    num_gpu_blocks: String(traffic[0].totalBlocks),
    num_cpu_blocks: 'None',
  };
  const info = metric('gauge', 'vllm:cache_config_info', 'Information of the LLMEngine CacheConfig', [
    ...Object.keys(cacheInfo),
    'engine',
  ]);
  for (const e of engines) child(info, [...Object.values(cacheInfo), e], { value: 1 });
  metrics.push(info);

  const proc = {
    python: '3.12.11',
    vmemPages: 31478302,
    rssPages: 1187021,
    btime: 1754380811,
    startTicks: 8627301,
    utimeTicks: 2519788,
    stimeTicks: 377161,
    openFds: 143,
  };
  return [...defaultCollectors(rng, proc), ...metrics.map(collect)];
}

// ---------------------------------------------------------------------------------------------------------
// SGLang: python/sglang/srt/metrics/collector.py, always multiprocess (MultiProcessCollector)
// ---------------------------------------------------------------------------------------------------------

/**
 * sglang.srt.metrics.utils.exponential_buckets(start=0.001, width=1.62, length=30) as Python computes it
 * (start * width**i with C pow()). Written out because JavaScript's `**` differs in the last digit for some.
 */
const SGLANG_STAGE_BUCKETS = [
  0.001, 0.0016200000000000001, 0.0026244000000000007, 0.004251528, 0.006887475360000002,
  0.011157710083200004, 0.018075490334784006, 0.029282294342350097, 0.047437316834607154, 0.07684845327206359,
  0.12449449430074302, 0.20168108076720373, 0.3267233508428701, 0.5292918283654495, 0.8574527619520282,
  1.389073474362286, 2.2502990284669036, 3.6454844261163837, 5.905684770308542, 9.567209327899839,
  15.49887911119774, 25.10818416014034, 40.67525833942735, 65.89391850987231, 106.74814798599316,
  172.93199973730896, 280.1498395744405, 453.84274011059364, 735.2252389791618, 1191.064887146242,
];

function sglangFamilies() {
  const rng = prng('sglang');
  const model = 'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8';
  // --tp 4 --dp 4 --enable-dp-attention --ep 4: four schedulers, each attention-TP rank 0 of its DP group,
  // so each logs its own label set; one tokenizer manager logs the request-level metrics.
  const tokenizerPid = 1842;
  const schedulers = [0, 1, 2, 3].map((r) => ({ rank: r, pid: 1915 + r }));
  const t0 = 1754467305.2;

  const tokenizer = mpProcess(tokenizerPid);
  // Uncertain: `engine_type` on the tokenizer's labels is in recent TokenizerManager versions, not all.
  const tokLabels = { model_name: model, engine_type: 'unified' };
  const finished = rng.int(70000, 82000);
  const aborted = rng.int(150, 400);
  const prompt = Math.round(finished * rng.between(2100, 2500));
  const generation = Math.round(finished * rng.between(420, 520));
  // observe_one_finished_request creates the counters' children in this order.
  tokenizer.counter('sglang:prompt_tokens_total', 'Number of prefill tokens processed.', tokLabels, prompt);
  tokenizer.counter(
    'sglang:generation_tokens_total',
    'Number of generation tokens processed.',
    tokLabels,
    generation,
  );
  tokenizer.counter(
    'sglang:cached_tokens_total',
    'Number of cached prompt tokens.',
    tokLabels,
    Math.round(prompt * rng.between(0.3, 0.45)),
  );
  tokenizer.counter('sglang:num_requests_total', 'Number of requests processed.', tokLabels, finished);
  tokenizer.counter(
    'sglang:num_so_requests_total',
    'Number of structured output requests processed.',
    tokLabels,
    rng.int(2000, 4000),
  );
  tokenizer.counter('sglang:num_aborted_requests_total', 'Number of requests aborted.', tokLabels, aborted);
  // The first token comes before the end of the request, so time_to_first_token's child is created first.
  const ttft = [0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400].concat(INF);
  tokenizer.histogram(
    'sglang:time_to_first_token_seconds',
    'Histogram of time to first token in seconds.',
    tokLabels,
    ttft,
    observe(rng, ttft, finished + rng.int(40, 90), 0.42, 2),
  );
  const itl = [
    0.002,
    0.004,
    0.006,
    0.008,
    0.01,
    0.015,
    0.02,
    0.025,
    0.03,
    0.035,
    0.04,
    0.06,
    0.08,
    0.1,
    0.2,
    0.4,
    0.6,
    0.8,
    1.0,
    2.0,
    4.0,
    6.0,
    8.0,
    INF,
  ];
  tokenizer.histogram(
    'sglang:inter_token_latency_seconds',
    'Histogram of inter-token latency in seconds.',
    tokLabels,
    itl,
    observe(rng, itl, generation - finished, 0.021, 3),
  );
  const e2e = [
    0.1,
    0.2,
    0.4,
    0.6,
    0.8,
    1,
    2,
    4,
    6,
    8,
    10,
    20,
    40,
    60,
    80,
    100,
    200,
    400,
    600,
    1200,
    1800,
    2400,
    INF,
  ];
  tokenizer.histogram(
    'sglang:e2e_request_latency_seconds',
    'Histogram of End-to-end request latency in seconds',
    tokLabels,
    e2e,
    observe(rng, e2e, finished, 11.5, 2),
  );
  const retractions = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 75, 100, INF];
  const retracted = rng.int(80, 300);
  tokenizer.histogram(
    'sglang:num_retractions',
    'Histogram of retraction counts per request.',
    tokLabels,
    retractions,
    {
      cumulative: retractions.map((b) =>
        b < 1 ? finished - retracted : b < 2 ? finished - 9 : b < 3 ? finished - 2 : finished,
      ),
      // retracted - 9 requests were retracted once, 7 twice and 2 three times.
      sum: retracted - 9 + 7 * 2 + 2 * 3,
    },
  );
  // start_cpu_monitor_thread("tokenizer").
  tokenizer.gauge(
    'mostrecent',
    'sglang:process_cpu_busy_ratio',
    'CPU busy time ratio of this process (user+system time / wall time)',
    { component: 'tokenizer' },
    rng.between(0.2, 0.6),
    t0 + 25000.41,
  );

  const processes = [tokenizer];
  for (const s of schedulers) {
    const p = mpProcess(s.pid);
    processes.push(p);
    const labels = {
      model_name: model,
      engine_type: 'unified',
      tp_rank: s.rank,
      pp_rank: 0,
      moe_ep_rank: s.rank,
      dp_rank: s.rank,
    };
    const ts = t0 + 25000 + rng.between(0, 1);
    const g = (name, help, value) => p.gauge('mostrecent', name, help, labels, value, ts);
    const maxTokens = 714240;
    const used = rng.int(90000, 400000);
    const running = rng.int(20, 64);
    // SchedulerMetricsCollector.log_stats sets the gauges in this order, creating their children.
    g('sglang:num_running_reqs', 'The number of running requests.', running);
    g('sglang:num_used_tokens', 'The number of used tokens.', used);
    g('sglang:token_usage', 'The token usage.', Math.round((used / maxTokens) * 100) / 100);
    g(
      'sglang:pending_prealloc_token_usage',
      'The token usage for pending preallocated tokens (not preallocated yet).',
      0,
    );
    g('sglang:swa_token_usage', 'The token usage for SWA layers.', 0);
    g('sglang:mamba_usage', 'The token usage for Mamba layers.', 0);
    g('sglang:decode_sum_seq_lens', 'The sum of all sequence lengths in decode.', used - rng.int(0, 4000));
    g('sglang:gen_throughput', 'The generation throughput (token/s).', rng.between(600, 1900));
    g('sglang:num_queue_reqs', 'The number of requests in the waiting queue.', rng.int(0, 7));
    g('sglang:num_grammar_queue_reqs', 'The number of requests in the grammar waiting queue.', 0);
    g(
      'sglang:num_running_reqs_offline_batch',
      "The number of running low-priority offline batch requests(label is 'batch').",
      0,
    );
    g('sglang:cache_hit_rate', 'The prefix cache hit rate.', rng.between(0.25, 0.5));
    g('sglang:max_total_num_tokens', 'Maximum total number of tokens in the KV cache pool.', maxTokens);
    g('sglang:spec_accept_length', 'The average acceptance length of speculative decoding.', 0);
    g(
      'sglang:spec_accept_rate',
      'The average acceptance rate of speculative decoding (`accepted tokens / total draft tokens` in batch).',
      0,
    );
    g('sglang:num_prefill_prealloc_queue_reqs', 'The number of requests in the prefill prealloc queue.', 0);
    g('sglang:num_prefill_inflight_queue_reqs', 'The number of requests in the prefill inflight queue.', 0);
    g('sglang:num_decode_prealloc_queue_reqs', 'The number of requests in the decode prealloc queue.', 0);
    g('sglang:num_decode_transfer_queue_reqs', 'The number of requests in the decode transfer queue.', 0);
    g('sglang:kv_transfer_speed_gb_s', 'The transfer speed of the KV cache in GB/s.', 0);
    g('sglang:kv_transfer_latency_ms', 'The transfer latency of the KV cache in ms.', 0);
    g('sglang:kv_transfer_bootstrap_ms', 'The bootstrap time of the KV transfer in ms.', 0);
    g('sglang:kv_transfer_alloc_ms', 'The allocation waiting time of the KV transfer in ms.', 0);
    g('sglang:kv_transfer_total_mb', 'The total number of tokens transferred in the KV cache.', 0);
    // Two gauges without multiprocess_mode: the default `all` keeps one series per pid.
    p.gauge('all', 'sglang:num_retracted_reqs', 'The number of retracted requests.', labels, 0);
    p.gauge(
      'all',
      'sglang:num_paused_reqs',
      'The number of paused requests by async weight sync.',
      labels,
      0,
    );
    g('sglang:utilization', 'The utilization.', rng.between(0.3, 0.95));
    g('sglang:engine_startup_time', 'The time taken for the engine to start up.', rng.between(140, 190));
    g(
      'sglang:engine_load_weights_time',
      'The time taken for the engine to load weights.',
      rng.between(60, 95),
    );
    g('sglang:new_token_ratio', 'The new token ratio.', rng.between(0.1, 0.7));
    g('sglang:is_cuda_graph', 'Whether the batch is using CUDA graph.', 1);
    g('sglang:num_unique_running_routing_keys', 'Number of unique routing keys in running batch.', 0);

    const passes = rng.int(900000, 1200000);
    p.counter(
      'sglang:cuda_graph_passes_total',
      'Total number of forward passes categorized by CUDA graph.',
      { ...labels, mode: 'decode_cuda_graph' },
      passes,
    );
    p.counter(
      'sglang:cuda_graph_passes_total',
      'Total number of forward passes categorized by CUDA graph.',
      { ...labels, mode: 'decode_none' },
      rng.int(200, 3000),
    );
    const realtimeHelp =
      'Total number of tokens processed (updated on each log interval). mode: prefill_compute, prefill_cache, decode.';
    const coopHelp =
      'Total number of tokens processed with labels about DP cooperation. mode: prefill_compute, prefill_cache, decode.';
    const share = prompt / 4;
    const tokens = {
      prefill_compute: Math.round(share * 0.62),
      prefill_cache: Math.round(share * 0.38),
      decode: Math.round(generation / 4),
    };
    for (const mode of ['prefill_compute', 'prefill_cache', 'decode']) {
      p.counter('sglang:realtime_tokens_total', realtimeHelp, { ...labels, mode }, tokens[mode]);
      // With DP attention the cooperation counters split the same tokens by how many ranks were prefilling.
      let left = tokens[mode];
      for (const ranks of [0, 1, 2, 3, 4]) {
        const part = ranks === 4 ? left : Math.round(left * rng.between(0.2, 0.5));
        left -= part;
        p.counter(
          'sglang:dp_cooperation_realtime_tokens_total',
          coopHelp,
          { ...labels, mode, num_prefill_ranks: ranks },
          part,
        );
      }
    }
    const retractedHere = rng.int(20, 80);
    p.counter(
      'sglang:num_retracted_requests_total',
      'Total number of retracted requests.',
      labels,
      retractedHere,
    );
    p.counter(
      'sglang:num_retracted_input_tokens_total',
      'Total number of retracted input tokens.',
      labels,
      retractedHere * rng.int(1500, 3000),
    );
    p.counter(
      'sglang:num_retracted_output_tokens_total',
      'Total number of retracted output tokens.',
      labels,
      retractedHere * rng.int(100, 600),
    );
    const grammars = rng.int(500, 1000);
    p.counter(
      'sglang:num_grammar_cache_hit_total',
      'Number of grammar cache hits.',
      labels,
      Math.round(grammars * 0.8),
    );
    p.counter('sglang:num_grammar_total', 'Number of the total grammar requests.', labels, grammars);

    const requests = Math.round(finished / 4);
    const queue = [
      0.0,
      0.1,
      0.2,
      0.5,
      1,
      2,
      3,
      4,
      5,
      10,
      15,
      20,
      30,
      40,
      50,
      60,
      70,
      80,
      90,
      100,
      200,
      300,
      400,
      500,
      600,
      700,
      800,
      900,
      1000,
      1200,
      1400,
      1600,
      1800,
      2000,
      2500,
      3000,
      INF,
    ];
    p.histogram(
      'sglang:queue_time_seconds',
      'Histogram of queueing time in seconds.',
      labels,
      queue,
      observe(rng, queue, requests, 0.05, 2),
    );
    const stageBuckets = [...SGLANG_STAGE_BUCKETS, INF];
    const stages = [
      ['prefill_waiting', 0.04],
      ['request_process', 0.0021],
      ['prefill_forward', 0.19],
      ['chunked_prefill', 0.23],
      ['decode_loop', 10.4],
    ];
    for (const [stage, median] of stages) {
      const n = stage === 'chunked_prefill' ? Math.round(requests * 0.21) : requests;
      p.histogram(
        'sglang:per_stage_req_latency_seconds',
        'The latency of each stage of requests.',
        { ...labels, stage },
        stageBuckets,
        observe(rng, stageBuckets, n, median, 2),
      );
    }
    const compile = [0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 90, 120, 240, INF];
    p.histogram(
      'sglang:grammar_compilation_time_seconds',
      'Histogram of grammar compilation time in seconds.',
      labels,
      compile,
      observe(rng, compile, grammars - Math.round(grammars * 0.8), 0.03, 2),
    );
  }
  return mergeMultiprocess(processes);
}

// ---------------------------------------------------------------------------------------------------------
// TensorRT-LLM: tensorrt_llm/metrics/collector.py (MetricsCollector) plus Dynamo's trtllm_additional
// metrics (components/src/dynamo/trtllm/metrics.py, AdditionalMetricsCollector), in the REGISTRY
// ---------------------------------------------------------------------------------------------------------

function trtllmFamilies() {
  const rng = prng('trtllm');
  // A real worker serves one model. To reach the fixture size the registry holds the children of five
  // workers' label sets; each model has its own disaggregation mode, speculative decoding and cache tiers.
  const models = [
    { name: 'nvidia/Llama-3.3-70B-Instruct-FP8', mode: 'prefill', draft: 0, host: true, scale: 1.0 },
    { name: 'nvidia/Llama-3.1-405B-Instruct-FP8', mode: 'decode', draft: 3, host: true, scale: 0.55 },
    { name: 'Qwen/Qwen3-32B', mode: 'prefill_and_decode', draft: 0, host: false, scale: 1.4 },
    { name: 'deepseek-ai/DeepSeek-R1-0528', mode: 'prefill_and_decode', draft: 3, host: true, scale: 0.7 },
    {
      name: 'google/gemma-3-27b-it',
      mode: 'prefill_and_decode',
      draft: 0,
      host: false,
      scale: 0.9,
      vision: true,
    },
  ];
  const created = clock(rng, 1754468019.913);
  const stats = models.map((m) => {
    const finished = Math.round(rng.between(9000, 14000) * m.scale);
    const stop = Math.round(finished * rng.between(0.85, 0.92));
    const cancelled = rng.int(20, 120);
    return {
      ...m,
      finished,
      reasons: { stop, length: finished - stop - cancelled, cancelled },
      prompt: Math.round(finished * rng.between(1500, 3500)),
      generation: Math.round(finished * rng.between(250, 700)),
      maxBlocks: rng.int(8000, 60000),
      iterations: rng.int(300000, 800000),
    };
  });
  const engineLabels = ['model_name', 'engine_type'];
  const dynamoLabels = ['model_name', 'disaggregation_mode', 'engine_type'];
  const metrics = [];
  // One child per model that has data, labelled with Dynamo's three labels or the engine's two.
  const each = (m, f) => {
    for (const s of stats) {
      const data = f(s);
      const values = m.labelnames === dynamoLabels ? [s.name, s.mode, 'trtllm'] : [s.name, 'trtllm'];
      if (data !== undefined) child(m, values, data);
    }
    metrics.push(m);
  };
  const withCreated = (f) => (s) => {
    const v = f(s);
    return v === undefined ? undefined : { ...v, created: created(rng.between(0, 40)) };
  };

  // Dynamo's AdditionalMetricsCollector is created before the engine's MetricsCollector.
  each(
    metric(
      'counter',
      'trtllm_num_aborted_requests_total',
      'Total number of aborted/cancelled requests',
      dynamoLabels,
    ),
    withCreated((s) => ({ value: s.reasons.cancelled })),
  );
  each(
    metric(
      'counter',
      'trtllm_request_type_image_total',
      'Total number of requests containing image content',
      dynamoLabels,
    ),
    withCreated((s) => (s.vision ? { value: Math.round(s.finished * 0.37) } : undefined)),
  );
  each(
    metric(
      'counter',
      'trtllm_request_type_structured_output_total',
      'Total number of requests using guided/structured decoding',
      dynamoLabels,
    ),
    withCreated((s) => ({ value: Math.round(s.finished * rng.between(0.02, 0.09)) })),
  );
  each(
    metric(
      'counter',
      'trtllm_kv_transfer_success_total',
      'Total number of successful KV cache transfers',
      dynamoLabels,
    ),
    withCreated((s) => (s.mode === 'prefill' ? { value: s.finished - s.reasons.cancelled } : undefined)),
  );
  const transferLatency = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, INF];
  const transferBytes = [
    100000,
    500000,
    1000000,
    5000000,
    10000000,
    50000000,
    100000000,
    500000000,
    1000000000,
    5000000000,
    INF,
  ];
  const transferSpeed = [0.1, 0.5, 1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, INF];
  each(
    metric(
      'histogram',
      'trtllm_kv_transfer_latency_seconds',
      'KV cache transfer latency per request in seconds',
      dynamoLabels,
      transferLatency,
    ),
    withCreated((s) =>
      s.mode === 'prefill'
        ? observe(rng, transferLatency, s.finished - s.reasons.cancelled, 0.018, 2)
        : undefined,
    ),
  );
  each(
    metric(
      'histogram',
      'trtllm_kv_transfer_bytes',
      'KV cache transfer size per request in bytes',
      dynamoLabels,
      transferBytes,
    ),
    withCreated((s) =>
      s.mode === 'prefill'
        ? observe(rng, transferBytes, s.finished - s.reasons.cancelled, 680000000, 2, true)
        : undefined,
    ),
  );
  each(
    metric(
      'histogram',
      'trtllm_kv_transfer_speed_gb_s',
      'KV cache transfer speed per request in GB/s',
      dynamoLabels,
      transferSpeed,
    ),
    withCreated((s) =>
      s.mode === 'prefill' ? observe(rng, transferSpeed, s.finished - s.reasons.cancelled, 38, 2) : undefined,
    ),
  );
  // KV event telemetry (names from lib/runtime/src/metrics/prometheus_names.rs, trtllm_additional; types from
  // Dynamo's tests). Uncertain: the HELP texts are the constants' doc comments, the drain-batch buckets and
  // the position of these three among the extras are assumed.
  each(
    metric(
      'gauge',
      'trtllm_kv_event_buffer_capacity',
      'Configured maximum number of TRT-LLM KV events buffered before older events are dropped',
      dynamoLabels,
    ),
    () => ({ value: 100000 }),
  );
  const drainBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, INF];
  each(
    metric(
      'histogram',
      'trtllm_kv_event_drain_batch_size',
      'Number of TRT-LLM KV events returned to Dynamo in one polling drain',
      dynamoLabels,
      drainBuckets,
    ),
    withCreated((s) => observe(rng, drainBuckets, Math.round(s.iterations / 9), 12, 2, true)),
  );
  each(
    metric(
      'counter',
      'trtllm_kv_event_id_gap_events_total',
      'Total number of missing TRT-LLM KV event IDs detected by Dynamo',
      dynamoLabels,
    ),
    withCreated((s) => ({ value: s.draft > 0 ? rng.int(0, 9) : 0 })),
  );

  // tensorrt_llm.metrics.MetricsCollector({"model_name": ..., "engine_type": "trtllm"}).
  const success = metric(
    'counter',
    'trtllm_request_success_total',
    'Count of successfully processed requests.',
    [...engineLabels, 'finished_reason'],
  );
  // Uncertain: the finish reasons are those of TRT-LLM's CompletionOutput (stop, length, timeout, cancelled).
  for (const reason of ['stop', 'length', 'cancelled']) {
    for (const s of stats)
      child(success, [s.name, 'trtllm', reason], {
        value: s.reasons[reason],
        created: created(rng.between(0, 30)),
      });
  }
  metrics.push(success);
  const latency = [
    0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
    960.0, 1920.0, 7680.0,
  ];
  const hist = (name, help, buckets, f) =>
    each(
      metric('histogram', name, help, engineLabels, buckets),
      withCreated((s) => f(s, withInf(buckets))),
    );
  hist(
    'trtllm_e2e_request_latency_seconds',
    'Histogram of end to end request latency in seconds.',
    latency,
    (s, b) => observe(rng, b, s.finished, 14 / s.scale, 2),
  );
  hist(
    'trtllm_time_to_first_token_seconds',
    'Histogram of time to first token in seconds.',
    [
      0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
      80.0, 160.0, 640.0, 2560.0,
    ],
    (s, b) => observe(rng, b, s.finished, 0.28, 2),
  );
  hist(
    'trtllm_time_per_output_token_seconds',
    'Histogram of time per output token in seconds.',
    [
      0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
      80.0,
    ],
    (s, b) => observe(rng, b, s.finished, 0.024 / s.scale, 3),
  );
  hist(
    'trtllm_request_queue_time_seconds',
    'Histogram of time spent in WAITING phase for request.',
    latency,
    (s, b) => observe(rng, b, s.finished, 0.04, 2),
  );
  hist(
    'trtllm_request_prefill_time_seconds',
    'Histogram of prefill (context) phase duration in seconds (first_token_time - first_scheduled_time).',
    [
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0,
      2560.0,
    ],
    (s, b) => observe(rng, b, s.finished, 0.21, 2),
  );
  hist(
    'trtllm_request_decode_time_seconds',
    'Histogram of decode (generation) phase duration in seconds (last_token_time - first_token_time).',
    latency,
    (s, b) => observe(rng, b, s.finished, 13 / s.scale, 2),
  );
  hist(
    'trtllm_request_inference_time_seconds',
    'Histogram of total inference duration in seconds (last_token_time - first_scheduled_time).',
    latency,
    (s, b) => observe(rng, b, s.finished, 13.4 / s.scale, 2),
  );
  const engineCounter = (name, help, f) => each(metric('counter', name, help, engineLabels), withCreated(f));
  const engineGauge = (name, help, f) =>
    each(metric('gauge', name, help, engineLabels), (s) => {
      const value = f(s);
      return value === undefined ? undefined : { value };
    });
  engineCounter(
    'trtllm_prompt_tokens_total',
    'Cumulative number of prompt (input) tokens processed.',
    (s) => ({ value: s.prompt }),
  );
  engineCounter(
    'trtllm_generation_tokens_total',
    'Cumulative number of generation (output) tokens produced.',
    (s) => ({ value: s.generation }),
  );
  engineGauge('trtllm_kv_cache_hit_rate', 'KV cache hit rate', () => rng.between(0.1, 0.6));
  const reused = stats.map(() => rng.int(2000000, 9000000));
  engineCounter(
    'trtllm_kv_cache_reused_blocks',
    'Cumulative number of KV cache blocks reused (cache hits)',
    (s) => ({ value: reused[stats.indexOf(s)] }),
  );
  engineCounter(
    'trtllm_kv_cache_missed_blocks',
    'Cumulative number of KV cache blocks missed (cache misses)',
    (s) => ({ value: Math.round(reused[stats.indexOf(s)] * rng.between(0.8, 2.5)) }),
  );
  engineGauge('trtllm_kv_cache_utilization', 'KV cache utilization', () => rng.between(0.2, 0.9));
  engineGauge('trtllm_kv_cache_host_utilization', 'KV cache host (secondary) pool utilization', (s) =>
    s.host ? rng.between(0.3, 0.99) : undefined,
  );
  engineGauge('trtllm_kv_cache_iter_reuse_rate', 'Per-iteration KV cache block reuse rate', () =>
    rng.between(0, 0.8),
  );
  engineCounter(
    'trtllm_kv_cache_iter_reused_blocks',
    'Total reused KV cache blocks (full + partial)',
    (s) => ({ value: reused[stats.indexOf(s)] }),
  );
  engineCounter('trtllm_kv_cache_iter_full_reused_blocks', 'Total fully reused KV cache blocks', (s) => ({
    value: Math.round(reused[stats.indexOf(s)] * 0.93),
  }));
  engineCounter(
    'trtllm_kv_cache_iter_partial_reused_blocks',
    'Total partially reused KV cache blocks',
    (s) => ({ value: reused[stats.indexOf(s)] - Math.round(reused[stats.indexOf(s)] * 0.93) }),
  );
  engineCounter(
    'trtllm_kv_cache_iter_missed_blocks',
    'Total missed KV cache blocks (context phase)',
    (s) => ({ value: Math.round(reused[stats.indexOf(s)] * 1.2) }),
  );
  engineCounter(
    'trtllm_kv_cache_gen_alloc_blocks_total',
    'Total blocks allocated during generation phase',
    (s) => ({ value: Math.round(s.generation / 32) }),
  );
  // Byte counters reach 10^12 and more: prometheus_client prints them as e.g. 3.1e+012 (floatToGoString).
  engineCounter(
    'trtllm_kv_cache_onboard_bytes_total',
    'Total bytes transferred from host to GPU (onboard)',
    (s) => (s.host ? { value: rng.int(4000, 90000) * 83886080 } : undefined),
  );
  engineCounter(
    'trtllm_kv_cache_offload_bytes_total',
    'Total bytes transferred from GPU to host (offload)',
    (s) => (s.host ? { value: rng.int(9000, 190000) * 83886080 } : undefined),
  );
  engineCounter(
    'trtllm_kv_cache_disk_prefetch_blocks_total',
    'Process-lifetime total V2 KV-cache blocks migrated from disk to host by the prefetch mechanism. Resets only when the serving process restarts.',
    (s) => (s.host && s.draft > 0 ? { value: rng.int(1000, 50000) } : undefined),
  );
  engineCounter(
    'trtllm_kv_cache_intra_device_copy_bytes_total',
    'Total bytes copied within GPU (intra-device block copies)',
    () => ({ value: rng.int(1, 4000) * 2097152 }),
  );
  engineGauge('trtllm_num_requests_running', 'Number of active requests', () => rng.int(8, 120));
  engineGauge('trtllm_num_requests_waiting', 'Number of queued requests', () => rng.int(0, 9));
  engineCounter(
    'trtllm_num_requests_completed_total',
    'Total number of completed requests across iterations',
    (s) => ({ value: s.finished }),
  );
  engineGauge('trtllm_max_num_active_requests', 'Maximum number of active requests', () => 256);
  engineGauge(
    'trtllm_iteration_latency_seconds',
    'Iteration latency in seconds',
    () => rng.int(9, 60) / 1000,
  );
  engineGauge(
    'trtllm_gpu_memory_usage_bytes',
    'GPU memory usage in bytes',
    () => rng.int(60000, 140000) * 1048576,
  );
  engineGauge(
    'trtllm_cpu_memory_usage_bytes',
    'CPU memory usage in bytes',
    () => rng.int(2000, 30000) * 1048576,
  );
  engineGauge('trtllm_pinned_memory_usage_bytes', 'Pinned memory usage in bytes', (s) =>
    s.host ? rng.int(8192, 65536) * 1048576 : 0,
  );
  engineGauge('trtllm_max_batch_size_static', 'Static maximum batch size', () => 256);
  engineGauge('trtllm_max_batch_size_runtime', 'Runtime maximum batch size', () => rng.int(64, 256));
  engineGauge('trtllm_max_num_tokens_runtime', 'Runtime maximum number of tokens', () => 8192);
  engineGauge('trtllm_kv_cache_max_blocks', 'Maximum number of KV cache blocks', (s) => s.maxBlocks);
  const used = stats.map((s) => rng.int(0, s.maxBlocks));
  engineGauge(
    'trtllm_kv_cache_free_blocks',
    'Number of free KV cache blocks',
    (s) => s.maxBlocks - used[stats.indexOf(s)],
  );
  engineGauge('trtllm_kv_cache_used_blocks', 'Number of used KV cache blocks', (s) => used[stats.indexOf(s)]);
  engineGauge('trtllm_kv_cache_tokens_per_block', 'Number of tokens per KV cache block', () => 32);
  engineGauge('trtllm_num_context_requests', 'Number of context (prefill) requests', (s) =>
    s.mode === 'decode' ? 0 : rng.int(0, 4),
  );
  engineGauge('trtllm_num_generation_requests', 'Number of generation (decode) requests', (s) =>
    s.mode === 'prefill' ? 0 : rng.int(8, 110),
  );
  engineGauge('trtllm_num_paused_requests', 'Number of paused requests', () => 0);
  engineGauge('trtllm_num_scheduled_requests', 'Number of scheduled requests', () => rng.int(8, 110));
  engineGauge('trtllm_total_context_tokens', 'Total number of context tokens', (s) =>
    s.mode === 'decode' ? 0 : rng.int(0, 8192),
  );
  engineGauge('trtllm_avg_decoded_tokens_per_iter', 'Average number of decoded tokens per iteration', (s) =>
    s.draft > 0 ? rng.between(1.8, 3.2) : 1,
  );
  engineCounter(
    'trtllm_spec_decode_num_draft_tokens_total',
    'Total number of draft tokens in speculative decoding',
    (s) => (s.draft > 0 ? { value: s.generation * 2 } : undefined),
  );
  engineCounter(
    'trtllm_spec_decode_num_accepted_tokens_total',
    'Total number of accepted tokens in speculative decoding',
    (s) => (s.draft > 0 ? { value: Math.round(s.generation * 1.21) } : undefined),
  );
  engineGauge('trtllm_spec_decode_acceptance_length', 'Acceptance length in speculative decoding', (s) =>
    s.draft > 0 ? rng.between(2.1, 3.1) : undefined,
  );
  engineGauge('trtllm_spec_decode_draft_overhead', 'Draft overhead in speculative decoding', (s) =>
    s.draft > 0 ? rng.between(0.1, 0.3) : undefined,
  );
  engineCounter(
    'trtllm_prompt_cached_tokens_total',
    'Process-lifetime total prompt tokens served from KV cache. Resets only when the serving process restarts, not when the KV cache is flushed or evicted.',
    (s) => ({ value: Math.round(s.prompt * rng.between(0.2, 0.5)) }),
  );
  const byTier = metric(
    'counter',
    'trtllm_prompt_cache_hit_tokens_total',
    'Process-lifetime total prompt tokens served from each KV cache level. Resets only when the serving process restarts, not when the KV cache is flushed or evicted. cache_level is the index into the configured tier list and cache_tier names the memory backing it, so a deployment with a hot and a cold GPU level reports them as two series sharing the gpu name. Pages already prefetched from disk to host count as host.',
    [...engineLabels, 'cache_level', 'cache_tier'],
  );
  for (const s of stats) {
    const tiers = s.host ? ['gpu', 'host'] : ['gpu'];
    tiers.forEach((tier, level) => {
      child(byTier, [s.name, 'trtllm', level, tier], {
        value: Math.round(s.prompt * (level === 0 ? 0.24 : 0.07)),
        created: created(rng.between(0, 5)),
      });
    });
  }
  metrics.push(byTier);
  hist(
    'trtllm_prompt_cached_tokens_per_request',
    'Histogram of cached prompt tokens per request.',
    [0, 64, 128, 256, 512, 1024, 2048, 4096, 8192],
    (s, b) => observe(rng, b, s.finished, 600, 2, true),
  );
  for (const [name, help, rate] of [
    ['trtllm_spec_decode_drafted_tokens_total', 'Total drafted tokens per speculative decoding position.', 1],
    [
      'trtllm_spec_decode_accepted_tokens_total',
      'Total accepted tokens per speculative decoding position.',
      0.62,
    ],
  ]) {
    const m = metric('counter', name, help, [...engineLabels, 'token_position']);
    for (const s of stats) {
      for (let pos = 0; pos < s.draft; pos++) {
        child(m, [s.name, 'trtllm', pos], {
          value: Math.round((s.generation / 3) * ipow(rate, pos + 1)),
          created: created(rng.between(0, 5)),
        });
      }
    }
    metrics.push(m);
  }
  const ppl = [1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 500.0, 1000.0];
  hist('trtllm_prefill_perplexity', 'Histogram of prefill perplexity per request.', ppl, (s, b) =>
    observe(rng, b, s.finished, 4.2, 3),
  );
  hist('trtllm_generation_perplexity', 'Histogram of generation perplexity per request.', ppl, (s, b) =>
    observe(rng, b, s.finished, 1.9, 3),
  );
  engineGauge(
    'trtllm_prefill_batch_occupancy',
    'Fraction of max active slots occupied by context requests.',
    (s) => (s.mode === 'decode' ? 0 : rng.int(0, 4) / 256),
  );
  hist(
    'trtllm_prefill_batch_tokens',
    'Histogram of total context tokens per iteration.',
    [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768],
    (s, b) =>
      s.mode === 'decode' ? undefined : observe(rng, b, Math.round(s.iterations / 3), 2600, 2, true),
  );
  const errors = metric(
    'counter',
    'trtllm_request_error_total',
    'Total request errors, labeled by HTTP status code.',
    [...engineLabels, 'http_code'],
  );
  for (const s of stats) {
    child(errors, [s.name, 'trtllm', '400'], {
      value: rng.int(1, 60),
      created: created(rng.between(10, 900)),
    });
    if (s.scale > 0.8)
      child(errors, [s.name, 'trtllm', '500'], {
        value: rng.int(1, 4),
        created: created(rng.between(10, 900)),
      });
  }
  metrics.push(errors);

  const proc = {
    python: '3.12.3',
    vmemPages: 52190375,
    rssPages: 2710544,
    btime: 1754380811,
    startTicks: 8698044,
    utimeTicks: 4187330,
    stimeTicks: 902217,
    openFds: 412,
  };
  return [...defaultCollectors(rng, proc), ...metrics.map(collect)];
}

// ---------------------------------------------------------------------------------------------------------
// LMCache: lmcache/observability.py (PrometheusLogger), multiprocess (it sets PROMETHEUS_MULTIPROC_DIR)
// ---------------------------------------------------------------------------------------------------------

function lmcacheFamilies() {
  const rng = prng('lmcache');
  const t0 = 1754467409.87;
  // vLLM --tensor-parallel-size 4 with the LMCache connector: one LMCache engine per TP worker process.
  const workers = [0, 1, 2, 3].map((w) => ({ id: w, pid: 2311 + w }));
  const processes = [];
  // 0.00001 * 2**i for i in range(20), as Python computes it (2**i is an exact int).
  const profiling = [];
  for (let i = 0, p = 1; i < 20; i++, p *= 2) profiling.push(0.00001 * p);
  const seconds = [
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
  ];
  const speed = [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
  const ms = [1, 5, 10, 20, 40, 60, 80, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
  for (const w of workers) {
    const p = mpProcess(w.pid);
    processes.push(p);
    // Uncertain: LMCacheMetadata.role is taken to be 'worker' in the TP worker processes.
    const labels = {
      model_name: 'Qwen/Qwen3-32B',
      worker_id: w.id,
      role: 'worker',
      served_model_name: 'qwen3-32b',
    };
    const ts = t0 + 21000 + rng.between(0, 10);
    // PrometheusLogger.__init__ binds the dynamic gauges' children first (_dynamic_metrics). They are
    // set_function gauges: MultiProcessCollector reads the mmap files, where their value stays 0.0.
    const dyn = (name, help, mode = 'livemostrecent') => p.gauge(mode, name, help, labels, 0, 0);
    dyn('lmcache:local_cpu_hot_cache_count', 'The size of the hot_cache');
    dyn('lmcache:local_cpu_keys_in_request_count', 'The size of the keys_in_request');
    dyn('lmcache:kv_msg_queue_size', 'The size of the KV message queue in BatchedMessageSender');
    dyn('lmcache:remote_put_task_num', 'The number of remote put tasks');
    dyn('lmcache:pin_monitor_pinned_objects_count', 'The number of pinned objects in PinMonitor');
    dyn('lmcache:lmcache_is_healthy', 'The health status of LMCache (1=healthy, 0=unhealthy)');
    dyn('lmcache:get_blocking_failed_count', 'The number of get blocking failed');
    dyn('lmcache:put_failed_count', 'The number of put failed');
    for (const status of ['ongoing', 'done', 'not_found']) {
      dyn(
        `lmcache:storage_events_${status}_count`,
        `The number of ${status.replace('_', ' ')} events`,
        'sum',
      );
    }
    dyn('lmcache:chunk_statistics_enabled', 'Whether chunk statistics collection is enabled');
    dyn('lmcache:chunk_statistics_total_requests', 'Total number of requests processed by chunk statistics');
    dyn('lmcache:chunk_statistics_total_chunks', 'Total number of chunks processed');
    dyn('lmcache:chunk_statistics_unique_chunks', 'Number of unique chunks (estimated)');
    dyn('lmcache:chunk_statistics_reuse_rate', 'Chunk reuse rate (0.0 to 1.0)');
    dyn('lmcache:chunk_statistics_bloom_filter_size_mb', 'Bloom Filter memory usage in MB');
    dyn('lmcache:chunk_statistics_bloom_filter_fill_rate', 'Bloom Filter fill rate (0.0 to 1.0)');
    dyn('lmcache:chunk_statistics_file_count', 'Number of files created for file_hash strategy');
    dyn('lmcache:chunk_statistics_current_file_size', 'Current file size in bytes for file_hash strategy');
    for (const name of [
      'scheduler_unfinished_requests_count',
      'connector_load_specs_count',
      'connector_request_trackers_count',
      'connector_kv_caches_count',
      'connector_layerwise_retrievers_count',
      'connector_invalid_block_ids_count',
      'connector_requests_priority_count',
    ]) {
      dyn(`lmcache:${name}`, `The count of ${name.replaceAll('_', ' ')}`);
    }
    dyn('lmcache:periodic_threads_total_count', 'Total number of registered periodic threads');
    dyn('lmcache:periodic_threads_running_count', 'Number of running periodic threads');
    dyn('lmcache:periodic_threads_active_count', 'Number of active periodic threads (recently executed)');
    for (const level of ['critical', 'high', 'medium', 'low']) {
      dyn(`lmcache:periodic_threads_${level}_total`, `Total number of ${level} level periodic threads`);
      dyn(`lmcache:periodic_threads_${level}_running`, `Number of running ${level} level periodic threads`);
      dyn(`lmcache:periodic_threads_${level}_active`, `Number of active ${level} level periodic threads`);
    }

    // log_prometheus, every log interval, in this order.
    const retrieves = rng.int(60000, 90000);
    const stores = rng.int(60000, 90000);
    const lookups = rng.int(130000, 180000);
    const requested = retrieves * rng.int(1800, 2600);
    const hit = Math.round(requested * rng.between(0.45, 0.7));
    const stored = stores * rng.int(1500, 2400);
    const lookupTokens = lookups * rng.int(1800, 2600);
    const c = (name, help, value) => p.counter(name, help, labels, value);
    c('lmcache:num_retrieve_requests', 'Total number of retrieve requests sent to lmcache', retrieves);
    c('lmcache:num_store_requests', 'Total number of store requests sent to lmcache', stores);
    c('lmcache:num_lookup_requests', 'Total number of lookup requests sent to lmcache', lookups);
    c('lmcache:num_requested_tokens', 'Total number of tokens requested from lmcache', requested);
    c('lmcache:num_hit_tokens', 'Total number of tokens hit in lmcache', hit);
    c('lmcache:num_stored_tokens', 'Total number of tokens stored in lmcache including evicted ones', stored);
    c('lmcache:num_lookup_tokens', 'Total number of tokens requested in lookup from lmcache', lookupTokens);
    c(
      'lmcache:num_lookup_hits',
      'Total number of tokens hit in lookup from lmcache',
      Math.round(lookupTokens * rng.between(0.4, 0.6)),
    );
    c('lmcache:num_prompt_tokens', 'Number of prompt tokens in lmcache', lookupTokens);
    c(
      'lmcache:num_vllm_hit_tokens',
      'Number of hit tokens in vllm',
      Math.round(lookupTokens * rng.between(0.1, 0.2)),
    );
    const reads = rng.int(20000, 50000);
    const writes = rng.int(30000, 60000);
    c(
      'lmcache:num_remote_read_requests',
      'Total number of requests read from remote backends in lmcache',
      reads,
    );
    c(
      'lmcache:num_remote_read_bytes',
      'Total number of bytes read from remote backends in lmcache',
      reads * 41943040,
    );
    c(
      'lmcache:num_remote_write_requests',
      'Total number of requests write to remote backends in lmcache',
      writes,
    );
    c(
      'lmcache:num_remote_write_bytes',
      'Total number of bytes write to remote backends in lmcache',
      writes * 41943040,
    );
    const evictions = rng.int(3000, 9000);
    c('lmcache:local_cpu_evict_count', 'Total number of evict in local cpu backend', evictions);
    c(
      'lmcache:local_cpu_evict_keys_count',
      'Total number of evict keys in local cpu backend',
      evictions * rng.int(8, 30),
    );
    c(
      'lmcache:local_cpu_evict_failed_count',
      'Total number of failed eviction in local cpu backend',
      rng.int(0, 30),
    );
    c('lmcache:forced_unpin_count', 'Total number of forced unpin due to timeout', rng.int(0, 5));
    c(
      'lmcache:lookup_0_hit_requests',
      'Total number of 0 hit lookup requests',
      Math.round(lookups * rng.between(0.2, 0.35)),
    );
    c('lmcache:num_slow_retrieval_by_time', 'Total number of slow retrievals by time threshold', 0);
    c('lmcache:num_slow_retrieval_by_speed', 'Total number of slow retrievals by speed threshold', 0);
    const g = (mode, name, help, value) => p.gauge(mode, name, help, labels, value, ts);
    g(
      'livemostrecent',
      'lmcache:retrieve_hit_rate',
      'Hit rate of lmcache retrieve requests since last log',
      rng.between(0.3, 0.9),
    );
    g(
      'livemostrecent',
      'lmcache:lookup_hit_rate',
      'Hit rate of lmcache lookup requests since last log',
      rng.between(0.3, 0.9),
    );
    g(
      'sum',
      'lmcache:local_cache_usage',
      'Local cache usage (bytes) of lmcache',
      rng.int(500, 1900) * 41943040,
    );
    g('sum', 'lmcache:remote_cache_usage', 'Remote cache usage (bytes) of lmcache', 0);
    g(
      'sum',
      'lmcache:local_storage_usage',
      'Local storage usage (bytes) of lmcache',
      rng.int(5000, 24000) * 41943040,
    );
    const h = (name, help, buckets, observed) => p.histogram(name, help, labels, withInf(buckets), observed);
    const obs = (buckets, n, median, k, integer) => observe(rng, withInf(buckets), n, median, k, integer);
    h(
      'lmcache:time_to_retrieve',
      'Time to retrieve from lmcache (seconds)',
      seconds,
      obs(seconds, retrieves, 0.021, 2),
    );
    h('lmcache:time_to_store', 'Time to store to lmcache (seconds)', seconds, obs(seconds, stores, 0.014, 2));
    h(
      'lmcache:time_to_lookup',
      'Time to lookup in lmcache (seconds)',
      profiling,
      obs(profiling, lookups, 0.0004, 2),
    );
    h(
      'lmcache:retrieve_speed',
      'Retrieve speed of lmcache (tokens per second)',
      speed,
      obs(speed, retrieves, 52000, 2),
    );
    h(
      'lmcache:store_speed',
      'Store speed of lmcache (tokens per second)',
      speed,
      obs(speed, stores, 61000, 2),
    );
    for (const [name, help, median, n] of [
      [
        'lmcache:retrieve_process_tokens_time',
        'Time to process tokens in retrieve (seconds)',
        0.0011,
        retrieves,
      ],
      [
        'lmcache:retrieve_broadcast_time',
        'Time to broadcast memory objects in retrieve (seconds)',
        0.00009,
        retrieves,
      ],
      ['lmcache:retrieve_to_gpu_time', 'Time to move data to GPU in retrieve (seconds)', 0.0062, retrieves],
      [
        'lmcache:remote_backend_batched_get_blocking_time',
        'Time to get data from remote backend (seconds)',
        0.019,
        reads,
      ],
      [
        'lmcache:instrumented_connector_batched_get_time',
        'Time used by the connector (seconds)',
        0.021,
        reads,
      ],
      ['lmcache:store_process_tokens_time', 'Time to process tokens in store (seconds)', 0.0009, stores],
      ['lmcache:store_from_gpu_time', 'Time to move data from GPU in store (seconds)', 0.0048, stores],
      ['lmcache:store_put_time', 'Time to put data to storage in store (seconds)', 0.0031, stores],
    ]) {
      h(name, help, profiling, obs(profiling, n, median, 2));
    }
    const p2p = rng.int(0, 3000);
    h(
      'lmcache:p2p_time_to_transfer',
      'Time to transfer via P2P (seconds)',
      seconds,
      obs(seconds, p2p, 0.03, 2),
    );
    h(
      'lmcache:p2p_transfer_speed',
      'P2P transfer speed (tokens per second)',
      speed,
      obs(speed, p2p, 40000, 2),
    );
    h('lmcache:remote_time_to_get', 'Time to get from remote backends (ms)', ms, obs(ms, reads, 18, 2));
    h('lmcache:remote_time_to_put', 'Time to put to remote backends (ms)', ms, obs(ms, writes, 24, 2));
    h(
      'lmcache:remote_time_to_get_sync',
      'Time to get from remote backends synchronously(ms)',
      ms,
      obs(ms, reads, 21, 2),
    );
    h(
      'lmcache:request_cache_hit_rate',
      'Request cache hit rate',
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
      obs([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], Math.round(lookups * 0.7), 0.55, 3),
    );
    const lifespan = [0, 1, 5, 10, 20, 40, 60, 80, 100, 250, 500, 750, 1000, 2500, 5000];
    h(
      'lmcache:request_cache_lifespan',
      'Request cache lifespan in minutes',
      lifespan,
      obs(lifespan, rng.int(40000, 90000), 14, 2),
    );
    g(
      'livemostrecent',
      'lmcache:remote_ping_latency',
      'Latest ping latency to remote backends (ms)',
      rng.between(0.2, 1.5),
    );
    c('lmcache:remote_ping_errors', 'Number of ping errors to remote backends', rng.int(0, 3));
    c('lmcache:remote_ping_successes', 'Number of ping successes to remote backends', rng.int(4000, 4300));
    g('livemostrecent', 'lmcache:remote_ping_error_code', 'Latest ping error code to remote backends', 0);
    g('sum', 'lmcache:active_memory_objs_count', 'The number of active memory objects', rng.int(1000, 20000));
    g('sum', 'lmcache:pinned_memory_objs_count', 'The number of pinned memory objects', rng.int(0, 50));
  }
  return mergeMultiprocess(processes);
}

// ---------------------------------------------------------------------------------------------------------

/**
 * vLLM's text exposition (as in `vllm.txt`) with the fewest engine cores that make it at least `minBytes`
 * long: the sizes the benchmarks ask for (200 KB, 1 MB), with the fixtures' layout and values.
 */
export function vllmExpositionOfAtLeast(minBytes) {
  for (let cores = 1; ; cores++) {
    const text = textExposition(vllmFamilies(cores));
    if (Buffer.byteLength(text) >= minBytes) return { text, engineCores: cores };
  }
}

export function generateFixtures() {
  const vllm = vllmFamilies();
  return {
    'vllm.txt': textExposition(vllm),
    'vllm-openmetrics.txt': openMetricsExposition(vllm),
    'sglang.txt': textExposition(sglangFamilies()),
    'trtllm.txt': textExposition(trtllmFamilies()),
    'lmcache.txt': textExposition(lmcacheFamilies()),
  };
}

function main() {
  const at = process.argv.indexOf('--out');
  const out = at >= 0 ? resolve(process.argv[at + 1]) : join(root, 'test', 'fixtures', 'engines');
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(generateFixtures())) {
    writeFileSync(join(out, name), text);
    process.stdout.write(`${join(out, name)}: ${Buffer.byteLength(text)} bytes\n`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

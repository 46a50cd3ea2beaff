/**
 * The naming rules of the Dynamo reference (spec §4.1–4.2, §4.6) that promtool does not know: a Dynamo
 * prefix (`dynamo_component_`, `dynamo_frontend_`, ...), the unit last (`{prefix}_{name}_{unit}`, before
 * a counter's `_total`), `_percent` rather than other spellings and holding a fraction from 0 to 1, no
 * discouraged suffix (`_counter`, `_gauge`, `_time`, `_size`, `_rate`), no `total_` at the start of a
 * counter, and the hierarchy labels as the runtime writes them. `_total` on counters and only on counters
 * is promtool's rule too, and reported once, by promlint.
 */
import type { MetricFamily } from '../core/model.js';
import { formatFloat } from '../expfmt/number.js';
import { LabelName } from '../names/labels.js';
import { DiscouragedSuffix, NamePrefix, UnitSuffix } from '../names/prefixes.js';
import { sanitizePrometheusLabel } from '../names/sanitize.js';
import type { Problem } from './problem.js';

const PREFIXES = Object.values(NamePrefix).map((p) => `${p}_`);

const PERCENT_SPELLINGS = ['_perc', '_pct', '_percentage'];

/** Parts of a name that say it measures time, and so should end in `_seconds`. */
const TIME_WORDS = ['_duration', '_latency', '_delay', '_uptime', '_elapsed'];

/** The name without a counter's `_total`: where the unit and the other suffixes are looked for. */
function stem(family: MetricFamily): string {
  return family.type === 'counter' && family.name.endsWith('_total')
    ? family.name.slice(0, -'_total'.length)
    : family.name;
}

/** Problems with the metric name itself. */
export function dynamoNaming(family: MetricFamily): Problem[] {
  const problems: Problem[] = [];
  const add = (rule: string, message: string) =>
    problems.push({ metric: family.name, rule, group: 'dynamo', message });
  const name = family.name;
  const prefix = PREFIXES.find((p) => name.startsWith(p));
  if (prefix === undefined) {
    add(
      'dynamo-prefix',
      name.startsWith('dynamo_')
        ? `unknown Dynamo prefix: expected one of ${PREFIXES.join(', ')}`
        : `has no Dynamo prefix: expected ${NamePrefix.COMPONENT}_ (workers) or ${NamePrefix.FRONTEND}_ (frontends)`,
    );
  }
  const base = stem(family);
  for (const unit of UnitSuffix) {
    if (base.includes(`${unit}_`)) add('dynamo-unit-last', `the unit "${unit}" should come last in the name`);
  }
  for (const spelling of PERCENT_SPELLINGS) {
    if (base.endsWith(spelling)) add('dynamo-percent', `spell the unit "_percent", not "${spelling}"`);
  }
  for (const word of TIME_WORDS) {
    if (base.endsWith(word)) add('dynamo-seconds', `measures time: end the name in "_seconds"`);
  }
  for (const [suffix, instead] of Object.entries(DiscouragedSuffix)) {
    if (base.endsWith(suffix)) {
      add(
        'dynamo-suffix',
        `avoid the suffix "${suffix}": ${instead === '(no suffix)' ? 'drop it' : `use ${instead}`}`,
      );
    }
  }
  const short = prefix === undefined ? name : name.slice(prefix.length);
  if (family.type === 'counter' && short.startsWith('total_')) {
    add('dynamo-total-prefix', 'counters end in "_total" and never start with "total_"');
  }
  if (family.type === 'gauge' && base.endsWith('_percent')) {
    for (const s of family.series) {
      const v = (s as { value?: number }).value;
      if (v !== undefined && (v < 0 || v > 1)) {
        problems.push({
          metric: name,
          labels: s.labels,
          rule: 'dynamo-percent-range',
          group: 'dynamo',
          message: `holds ${formatFloat(v)}: Dynamo's _percent gauges hold a fraction from 0.0 to 1.0`,
        });
      }
    }
  }
  return problems;
}

const LOWER_HEX = /^(0|[1-9a-f][0-9a-f]*)$/;

/** What the runtime writes for a hierarchy name, or undefined when nothing valid is left of it. */
function sanitized(value: string): string | undefined {
  try {
    return sanitizePrometheusLabel(value);
  } catch {
    return undefined;
  }
}

/** The label value's problem when it is not the runtime's sanitized form of a name. */
function unsanitized(label: string, value: string, path: boolean): string | undefined {
  const parts = path ? value.split('.') : [value];
  const fixed = parts.map(sanitized);
  if (fixed.every((f, i) => f === parts[i])) return undefined;
  const shown = fixed.includes(undefined) ? '' : ` (the runtime writes "${fixed.join('.')}")`;
  return `${label}="${value}" is not a sanitized name${shown}`;
}

/**
 * Problems with the labels the runtime adds itself: the hierarchy labels must nest (an endpoint belongs
 * to a component, a component to a namespace) and hold sanitized names (`vllm_worker`, not `vllm-worker`),
 * a nested namespace being a dotted path of them; `worker_id` is lower-case hexadecimal without `0x` or
 * leading zeros. Upstream writes it in decimal on the frontend's per-worker gauges (spec §9.3 item 8), which
 * passes too: a decimal id is a valid hexadecimal string. Reported once per family and offending value,
 * not once per series.
 */
export function dynamoLabels(family: MetricFamily): Problem[] {
  const messages = new Set<string>();
  const add = (message: string | undefined) => {
    if (message !== undefined) messages.add(message);
  };
  for (const s of family.series) {
    const labels = new Map(s.labels.map((l) => [l.name, l.value]));
    const namespace = labels.get(LabelName.NAMESPACE);
    const component = labels.get(LabelName.COMPONENT);
    const endpoint = labels.get(LabelName.ENDPOINT);
    const workerId = labels.get(LabelName.WORKER_ID);
    if (endpoint !== undefined && component === undefined) {
      add(`has ${LabelName.ENDPOINT} without ${LabelName.COMPONENT}: an endpoint belongs to a component`);
    }
    if (component !== undefined && namespace === undefined) {
      add(`has ${LabelName.COMPONENT} without ${LabelName.NAMESPACE}: a component belongs to a namespace`);
    }
    if (namespace !== undefined) add(unsanitized(LabelName.NAMESPACE, namespace, true));
    if (component !== undefined) add(unsanitized(LabelName.COMPONENT, component, false));
    if (endpoint !== undefined) add(unsanitized(LabelName.ENDPOINT, endpoint, false));
    if (workerId !== undefined && !LOWER_HEX.test(workerId)) {
      add(
        `${LabelName.WORKER_ID}="${workerId}" is not lower-case hexadecimal without 0x or leading zeros, as the runtime writes it`,
      );
    }
  }
  return [...messages].map((message) => ({
    metric: family.name,
    rule: 'dynamo-labels',
    group: 'dynamo',
    message,
  }));
}

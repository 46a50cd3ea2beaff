/**
 * PromQL text builders shared by the dashboards and the rules, so that a quantile or a mean is written one
 * way everywhere. They build strings; the tests parse every result with Prometheus and our engine.
 */

/**
 * The frontend requests that failed through the service's fault: every error but those the client caused
 * (it went away, sent an invalid request, asked for an unknown model or an unsupported feature). Shared by
 * the success rate panel and the error ratio rule, so they always agree.
 */
export const SERVICE_ERRORS: readonly string[] = [
  'status="error"',
  'error_type!~"cancelled|validation|not_found|not_implemented"',
];

/** A selector: `metric{m1, m2}` (matchers as PromQL text, e.g. `model="$model"`). */
export function sel(metric: string, matchers: readonly string[] = []): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

export function rate(selector: string, window: string): string {
  return `rate(${selector}[${window}])`;
}

export function increase(selector: string, window: string): string {
  return `increase(${selector}[${window}])`;
}

/** `sum(e)`, or `sum by (labels) (e)`. */
export function sum(e: string, by: readonly string[] = []): string {
  return by.length === 0 ? `sum(${e})` : `sum by (${by.join(', ')}) (${e})`;
}

/** Where a histogram or counter query reads from: the metric's matchers, the window, the grouping. */
export interface Scope {
  readonly matchers?: readonly string[];
  readonly window: string;
  readonly by?: readonly string[];
}

/** The per-second rate of a counter, summed over `by`. */
export function summedRate(counter: string, scope: Scope): string {
  return sum(rate(sel(counter, scope.matchers), scope.window), scope.by);
}

/** The `q` quantile of histogram `metric` (its base name) over the window, per `by`. */
export function quantile(q: number, metric: string, scope: Scope): string {
  return `histogram_quantile(${q}, ${sum(rate(sel(`${metric}_bucket`, scope.matchers), scope.window), ['le', ...(scope.by ?? [])])})`;
}

/** The mean observation of histogram `metric` over the window, per `by` (NaN while nothing is observed). */
export function mean(metric: string, scope: Scope): string {
  return `${summedRate(`${metric}_sum`, scope)} / ${summedRate(`${metric}_count`, scope)}`;
}

/** `factor * (e)`, or `e` when the factor is 1. */
export function scaled(factor: number, e: string): string {
  return factor === 1 ? e : `${factor} * (${e})`;
}

/**
 * Every PromQL expression we ship, found by reading the shipped files rather than the generator: panel
 * targets and variable queries of the Grafana dashboards, recording and alerting rules, and the README's
 * query cookbook. Also the two transformations the end-to-end test needs: filling in Grafana's template
 * variables, and turning an alert's filtering comparisons into `bool` ones so that it shows data whether or
 * not it fires.
 */
import { readFileSync } from 'node:fs';
import type { Expr } from '../../../src/query/promql/ast.js';
import { isComparison } from '../../../src/query/promql/ast.js';
import { parsePromQL } from '../../../src/query/promql/parser.js';
import { dashboards, REPO, rules } from './assets.js';

export type ExpressionKind = 'panel' | 'variable' | 'record' | 'alert' | 'cookbook';

export interface ShippedExpression {
  readonly kind: ExpressionKind;
  /** Where it was found, for failure messages. */
  readonly source: string;
  /** As shipped; for a variable, the series selector of its `label_values` query. */
  readonly expr: string;
  /** For a variable: the label whose values it lists. */
  readonly label?: string;
}

/** `label_values(selector, label)`, Grafana's variable query, split into its PromQL and its label. */
export function labelValuesQuery(query: string): { expr: string; label: string } {
  const m = /^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query.trim());
  if (m === null) throw new Error(`not a label_values() query: ${query}`);
  return { expr: m[1].trim(), label: m[2] };
}

function dashboardExpressions(): ShippedExpression[] {
  return dashboards().flatMap(({ file, dashboard }) => [
    ...dashboard.templating.list
      .filter((v) => v.type === 'query')
      .map((v) => {
        const query = typeof v.query === 'string' ? v.query : v.query.query;
        return {
          kind: 'variable' as const,
          source: `${file} variable ${v.name}`,
          ...labelValuesQuery(query),
        };
      }),
    ...dashboard.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({
        kind: 'panel' as const,
        source: `${file} panel "${p.title}" ${t.refId}`,
        expr: t.expr,
      })),
    ),
  ]);
}

function ruleExpressions(): ShippedExpression[] {
  return rules().map(({ file, group, rule }) => ({
    kind: rule.alert === undefined ? ('record' as const) : ('alert' as const),
    source: `${file} ${group} ${rule.alert ?? rule.record}`,
    expr: rule.expr,
  }));
}

/** The README section whose ```promql blocks are the query cookbook. */
export const COOKBOOK_SECTION = '## Running with Prometheus and Grafana';

/** The ```promql blocks of the README's cookbook section, one expression each. */
export function cookbookExpressions(readme = readFileSync(`${REPO}README.md`, 'utf8')): ShippedExpression[] {
  const start = readme.indexOf(`\n${COOKBOOK_SECTION}\n`);
  if (start < 0) throw new Error(`README has no section "${COOKBOOK_SECTION}"`);
  const next = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/```promql\n([\s\S]*?)```/g)].map((m, i) => ({
    kind: 'cookbook' as const,
    source: `README cookbook query ${i + 1}`,
    expr: m[1].trim(),
  }));
}

export function shippedExpressions(): ShippedExpression[] {
  return [...dashboardExpressions(), ...ruleExpressions(), ...cookbookExpressions()];
}

export interface TemplateValues {
  readonly model: string;
  /** Grafana's `$__rate_interval`: max(4 × scrape interval, `$__interval` + scrape interval). */
  readonly rateInterval: string;
  /** Grafana's `$__range`: the dashboard's time range. */
  readonly range: string;
}

/** Fills in Grafana's template variables; any variable left over is an error. */
export function substitute(expr: string, values: TemplateValues): string {
  const out = expr
    .replaceAll('$__rate_interval', values.rateInterval)
    .replaceAll('$__range', values.range)
    .replace(/\$\{model\}|\$model\b/g, values.model);
  if (out.includes('$')) throw new Error(`unknown template variable in ${expr}`);
  return out;
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'call':
      return [...e.args];
    case 'aggregate':
      return e.param === undefined ? [e.expr] : [e.param, e.expr];
    case 'binary':
      return [e.lhs, e.rhs];
    case 'unary':
    case 'paren':
      return [e.expr];
    case 'matrix':
      return [e.selector];
    default:
      return [];
  }
}

/**
 * `expr` with every filtering comparison made a `bool` comparison (`a > 2` becomes `a > bool 2`): the
 * result then holds a 0 or 1 for every input series, so it has data exactly when the alert's inputs do,
 * firing or not.
 */
export function comparisonsAsBool(expr: string): string {
  const inserts: number[] = [];
  const visit = (e: Expr) => {
    if (e.kind === 'binary' && isComparison(e.op) && !e.returnBool) {
      const gap = expr.slice(e.lhs.pos.end, e.rhs.pos.start);
      const at = gap.indexOf(e.op);
      if (at < 0) throw new Error(`operator ${e.op} not found in ${JSON.stringify(gap)}`);
      inserts.push(e.lhs.pos.end + at + e.op.length);
    }
    children(e).forEach(visit);
  };
  visit(parsePromQL(expr));
  let out = expr;
  for (const at of inserts.sort((a, b) => b - a)) out = `${out.slice(0, at)} bool${out.slice(at)}`;
  return out;
}

/**
 * The one way our Grafana dashboards are defined: a dashboard is rows of panels, a panel is a title, a
 * unit and PromQL targets, and this module turns that into the JSON model Grafana 10+ imports (schema 38),
 * with the `datasource` and `model` variables, a shared data source reference, and a grid layout computed
 * from panel widths, so no position or id is ever written by hand.
 */
import { mean, quantile, type Scope, scaled } from './promql.js';

export interface Target {
  readonly expr: string;
  /** Grafana legend template, e.g. `p99 {{instance}}`. */
  readonly legend: string;
}

export interface Threshold {
  readonly color: string;
  /** The value from which this color applies; null for the base color. */
  readonly value: number | null;
}

export interface PanelSpec {
  readonly kind: 'stat' | 'timeseries';
  readonly title: string;
  /** What the panel answers; shown in the panel's info tooltip. */
  readonly description: string;
  /** A Grafana unit id (`reqps`, `ms`, `s`, `percent`, `short`, `Bps`, `percentunit`). */
  readonly unit: string;
  readonly targets: readonly Target[];
  /** Width out of 24 (default 4 for a stat, 12 for a time series). */
  readonly width?: number;
  readonly height?: number;
  readonly stacked?: boolean;
  readonly thresholds?: readonly Threshold[];
  readonly decimals?: number;
}

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** The `model` variable lists the values of `label` on `metric`. */
  readonly modelVariable: { readonly metric: string; readonly label: string };
  readonly rows: readonly RowSpec[];
}

/** Every panel and target reads from the data source the `datasource` variable selects. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** A stat panel: one instant value over the dashboard's time range. */
export function stat(
  title: string,
  description: string,
  unit: string,
  expr: string,
  options: Pick<PanelSpec, 'thresholds' | 'decimals' | 'width'> = {},
): PanelSpec {
  return { kind: 'stat', title, description, unit, targets: [{ expr, legend: title }], ...options };
}

/** A time series panel. */
export function graph(
  title: string,
  description: string,
  unit: string,
  targets: readonly Target[],
  options: Pick<PanelSpec, 'stacked' | 'width' | 'decimals'> = {},
): PanelSpec {
  return { kind: 'timeseries', title, description, unit, targets, ...options };
}

export interface DistributionOptions {
  readonly quantiles?: readonly number[];
  /** Multiplies every value (1000 turns seconds into milliseconds). */
  readonly factor?: number;
  readonly width?: number;
}

/** A histogram as a time series: its quantiles and its mean, per `scope.by` when given. */
export function distribution(
  title: string,
  description: string,
  unit: string,
  metric: string,
  scope: Scope,
  options: DistributionOptions = {},
): PanelSpec {
  const factor = options.factor ?? 1;
  const per = (scope.by ?? []).map((l) => ` {{${l}}}`).join('');
  const targets: Target[] = (options.quantiles ?? [0.5, 0.9, 0.99]).map((q) => ({
    expr: scaled(factor, quantile(q, metric, scope)),
    legend: `p${Math.round(q * 100)}${per}`,
  }));
  targets.push({ expr: scaled(factor, mean(metric, scope)), legend: `mean${per}` });
  return graph(title, description, unit, targets, { width: options.width });
}

const GRID_WIDTH = 24;

function thresholdsJson(thresholds: readonly Threshold[] | undefined) {
  return {
    mode: 'absolute',
    steps: thresholds ?? [{ color: 'green', value: null }],
  };
}

function targetJson(target: Target, index: number, instant: boolean) {
  return {
    datasource: DATASOURCE,
    editorMode: 'code',
    expr: target.expr,
    instant,
    legendFormat: target.legend,
    range: !instant,
    refId: String.fromCharCode(65 + index),
  };
}

function panelJson(panel: PanelSpec, id: number, gridPos: object) {
  const instant = panel.kind === 'stat';
  const defaults = {
    color: { mode: instant ? 'thresholds' : 'palette-classic' },
    ...(instant
      ? {}
      : {
          custom: {
            drawStyle: 'line',
            fillOpacity: panel.stacked ? 60 : 10,
            lineWidth: 1,
            showPoints: 'never',
            spanNulls: false,
            stacking: { group: 'A', mode: panel.stacked ? 'normal' : 'none' },
          },
        }),
    ...(panel.decimals === undefined ? {} : { decimals: panel.decimals }),
    thresholds: thresholdsJson(panel.thresholds),
    unit: panel.unit,
  };
  const options = instant
    ? {
        colorMode: 'value',
        graphMode: 'none',
        justifyMode: 'auto',
        orientation: 'auto',
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        textMode: 'auto',
      }
    : {
        legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
  return {
    datasource: DATASOURCE,
    description: panel.description,
    fieldConfig: { defaults, overrides: [] },
    gridPos,
    id,
    options,
    targets: panel.targets.map((t, i) => targetJson(t, i, instant)),
    title: panel.title,
    type: panel.kind,
  };
}

/** Rows one under the other; in a row, panels left to right, wrapping at the grid's width. */
function layout(rows: readonly RowSpec[]): object[] {
  const out: object[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    out.push({
      collapsed: false,
      gridPos: { h: 1, w: GRID_WIDTH, x: 0, y },
      id: id++,
      panels: [],
      title: row.title,
      type: 'row',
    });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const panel of row.panels) {
      const w = panel.width ?? (panel.kind === 'stat' ? 4 : 12);
      const h = panel.height ?? (panel.kind === 'stat' ? 4 : 8);
      if (x + w > GRID_WIDTH) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      out.push(panelJson(panel, id++, { h, w, x, y }));
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return out;
}

/** The Grafana JSON model of a dashboard. */
export function dashboardJson(spec: DashboardSpec): object {
  const modelQuery = `label_values(${spec.modelVariable.metric}, ${spec.modelVariable.label})`;
  return {
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    description: spec.description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [],
    panels: layout(spec.rows),
    refresh: '30s',
    schemaVersion: 38,
    tags: spec.tags,
    templating: {
      list: [
        {
          current: {},
          hide: 0,
          includeAll: false,
          label: 'Data source',
          multi: false,
          name: 'datasource',
          options: [],
          query: 'prometheus',
          refresh: 1,
          regex: '',
          skipUrlSync: false,
          type: 'datasource',
        },
        {
          current: {},
          datasource: DATASOURCE,
          definition: modelQuery,
          hide: 0,
          includeAll: false,
          label: 'Model',
          multi: false,
          name: 'model',
          options: [],
          query: { qryType: 1, query: modelQuery, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
          refresh: 2,
          regex: '',
          skipUrlSync: false,
          sort: 1,
          type: 'query',
        },
      ],
    },
    time: { from: 'now-24h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: spec.title,
    uid: spec.uid,
    version: 1,
    weekStart: '',
  };
}

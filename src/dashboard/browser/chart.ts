/**
 * A time-series chart on uPlot. New data replaces the old (`setData`), so a chart left refreshing for hours
 * holds one range of points, never a growing history; the plot is rebuilt only when its series change.
 */
import uPlot from 'uplot';
import type { DomElement } from './dom.js';
import { formatValue } from './format.js';
import type { Unit } from './panels.js';
import type { AlignedData } from './series-data.js';

const PALETTE = [
  '#7eb26d',
  '#eab839',
  '#6ed0e0',
  '#ef843c',
  '#e24d42',
  '#1f78c1',
  '#ba43a9',
  '#705da0',
  '#508642',
  '#cca300',
  '#447ebc',
  '#c15c17',
];

export const CHART_HEIGHT = 180;

const AXIS = {
  stroke: '#8e8e9e',
  grid: { stroke: '#2c3036', width: 1 },
  ticks: { stroke: '#2c3036', width: 1 },
};

/** The y range: from zero (or the lowest value, when negative) to a little above the highest value. */
function yRange(min: number | null, max: number | null): [number, number] {
  const low = Math.min(0, min ?? 0);
  const high = max === null || max <= low ? low + 1 : max + (max - low) * 0.1;
  return [low, high];
}

export class TimeSeriesChart {
  #plot: uPlot | undefined = undefined;
  #seriesKey = '';

  constructor(
    private readonly container: DomElement,
    private readonly unit: Unit,
  ) {}

  show(data: AlignedData): void {
    const key = data.labels.join('\u0000');
    const aligned: uPlot.AlignedData = [data.xs, ...data.ys];
    if (this.#plot !== undefined && key === this.#seriesKey) {
      this.#plot.setData(aligned);
      return;
    }
    this.clear();
    this.#seriesKey = key;
    const unit = this.unit;
    this.#plot = new uPlot(
      {
        width: this.width(),
        height: CHART_HEIGHT,
        series: [
          {},
          ...data.labels.map((label, i) => ({
            label,
            stroke: PALETTE[i % PALETTE.length],
            width: 1.5,
            value: (_: uPlot, v: number | null) => formatValue(v, unit),
          })),
        ],
        axes: [
          AXIS,
          {
            ...AXIS,
            size: 80,
            values: (_: uPlot, splits: number[]) => splits.map((v) => formatValue(v, unit)),
          },
        ],
        // Zero stays in view: these are rates, counts and latencies, and a baseline makes them comparable.
        scales: { y: { range: (_: uPlot, min: number | null, max: number | null) => yRange(min, max) } },
        legend: { live: false },
      },
      aligned,
      this.container,
    );
  }

  clear(): void {
    this.#plot?.destroy();
    this.#plot = undefined;
    this.#seriesKey = '';
  }

  resize(): void {
    this.#plot?.setSize({ width: this.width(), height: CHART_HEIGHT });
  }

  private width(): number {
    return Math.max(200, this.container.clientWidth);
  }
}

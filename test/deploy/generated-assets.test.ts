/**
 * The generated assets: committed exactly as the generator writes them, and dashboards Grafana 10+ can
 * import (schema, data source and model variables, unique ids, a grid without overlaps, every target on the
 * selected data source and, where the series have a model, filtered by it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployAssets } from '../../deploy/generator/assets.js';
import { dashboards, REPO } from './helpers/assets.js';

/** Grafana's reference to the data source the `datasource` variable selects. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
const SELECTED = { type: 'prometheus', uid: '${datasource}' };

describe('the generated deploy assets', () => {
  it('are committed exactly as `npm run deploy:generate` writes them', () => {
    const assets = deployAssets();
    expect([...assets.keys()].sort()).toEqual([
      'deploy/grafana/dashboards/dynametrics-engine.json',
      'deploy/grafana/dashboards/dynametrics-overview.json',
      'deploy/prometheus/rules/dynametrics-alerts.rules.yml',
      'deploy/prometheus/rules/dynametrics-recording.rules.yml',
    ]);
    for (const [path, content] of assets) expect(readFileSync(`${REPO}${path}`, 'utf8'), path).toBe(content);
  });
});

describe.each(dashboards())('the dashboard $file', ({ dashboard }) => {
  it('is a Grafana 10 dashboard with the datasource and model variables', () => {
    expect(dashboard.schemaVersion).toBe(38);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    const vars = dashboard.templating.list;
    expect(vars.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['model', 'query'],
    ]);
    expect(vars[0].query).toBe('prometheus');
    expect(vars[1].datasource).toEqual(SELECTED);
    expect((vars[1].query as { query: string }).query).toBe(vars[1].definition);
  });

  it('reads every target from the selected data source, filtered by model where the series have one', () => {
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(5);
    for (const p of panels) {
      expect(p.datasource, p.title).toEqual(SELECTED);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(new Set(p.targets?.map((t) => t.refId)).size, p.title).toBe(p.targets?.length);
      for (const t of p.targets ?? []) {
        expect(t.datasource, p.title).toEqual(p.datasource);
        expect(t.instant, p.title).toBe(p.type === 'stat');
        // Only the frontend's per-worker gauges have no model label.
        if (!t.expr.includes('dynamo_frontend_worker_last_'))
          expect(t.expr, p.title).toContain('model="$model"');
      }
    }
  });

  it('has unique panel ids and lays panels out on the 24-column grid without overlaps', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels) {
      expect(g.x + g.w, title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

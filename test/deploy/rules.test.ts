/**
 * The shipped rules with the real promtool: every rule file passes `promtool check rules` (which finds as
 * many rules as we read), and every unit test file passes `promtool test rules`, which would fail on a
 * wrong expectation. Every alert has a unit test that sees it both pending and firing.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool, run } from '../helpers/tools.js';
import { deployFiles, deployPath, deployYaml, rules } from './helpers/assets.js';

const promtool = () => requireTool('promtool', 'prometheus');

interface RuleTests {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('the shipped rules', () => {
  it.each(deployFiles('prometheus/rules', '.rules.yml'))('%s passes promtool check rules', async (file) => {
    const count = rules().filter((r) => r.file === file).length;
    const result = await run(promtool(), ['check', 'rules', deployPath(file)]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`SUCCESS: ${count} rules found`);
    expect(result.code).toBe(0);
  });

  it.each(deployFiles('prometheus/rules/tests', '.test.yml'))(
    '%s passes promtool test rules',
    async (file) => {
      const result = await run(promtool(), ['test', 'rules', deployPath(file)]);
      expect(result.stdout + result.stderr).toContain('SUCCESS');
      expect(result.code).toBe(0);
    },
  );

  it('has a unit test for every alert, seeing it pending and then firing', () => {
    const tested = new Map<string, number[]>();
    for (const t of deployYaml<RuleTests>('prometheus/rules/tests/alerts.test.yml').tests) {
      for (const a of t.alert_rule_test ?? []) {
        tested.set(a.alertname, [...(tested.get(a.alertname) ?? []), a.exp_alerts.length]);
      }
    }
    const alerts = rules().flatMap((r) => (r.rule.alert === undefined ? [] : [r.rule.alert]));
    expect(alerts).toHaveLength(5);
    expect([...tested.keys()].sort()).toEqual([...alerts].sort());
    for (const [alert, counts] of tested) expect(counts, alert).toEqual([0, 1]);
  });

  it('gives every alert a severity, a summary and a description', () => {
    for (const { rule } of rules().filter((r) => r.rule.alert !== undefined)) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort(), rule.alert).toEqual(['description', 'summary']);
      expect(rule.for, rule.alert).toMatch(/^\d+m$/);
    }
  });

  it('fails a unit test whose expectation is wrong (the tests above can fail)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynametrics-rules-'));
    try {
      await cp(deployPath('prometheus/rules'), join(dir, 'rules'), { recursive: true });
      const file = join(dir, 'rules', 'tests', 'recording.test.yml');
      const text = await readFile(file, 'utf8');
      expect(text).toContain('value: 4.75');
      await writeFile(file, text.replace('value: 4.75', 'value: 4.5'));
      const result = await run(promtool(), ['test', 'rules', file]);
      expect(result.stdout + result.stderr).toContain('FAILED');
      expect(result.code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '../../src/core/index.js';
import {
  type EngineMetricsOptions,
  resolveEngineOptions,
  transformFamilies,
} from '../../src/engine/index.js';
import { OPENMETRICS_FORMAT, parseExposition, TEXT_FORMAT, writeExposition } from '../../src/expfmt/index.js';

const AUTO = {
  dynamo_namespace: 'dynamo',
  dynamo_component: 'backend',
  dynamo_endpoint: 'generate',
  worker_id: '1f',
};

const FIXTURES = [
  { file: 'vllm.txt', syntax: 'text', prefix: 'vllm:' },
  { file: 'vllm-openmetrics.txt', syntax: 'openmetrics', prefix: 'vllm:' },
  { file: 'sglang.txt', syntax: 'text', prefix: 'sglang:' },
  { file: 'trtllm.txt', syntax: 'text', prefix: 'trtllm_' },
  { file: 'lmcache.txt', syntax: 'text', prefix: 'lmcache:' },
] as const;

async function fixture(file: string): Promise<string> {
  return readFile(new URL(`../fixtures/engines/${file}`, import.meta.url), 'utf8');
}

function run(text: string, syntax: 'text' | 'openmetrics', options: EngineMetricsOptions): MetricFamily[] {
  return transformFamilies(parseExposition(text, { syntax }), resolveEngineOptions(options, AUTO));
}

/** The families of a fixture as the parser sees them, name -> family. */
function source(text: string, syntax: 'text' | 'openmetrics'): Map<string, MetricFamily> {
  return new Map(parseExposition(text, { syntax }).map((f) => [f.name, f]));
}

const labelText = (f: MetricFamily) =>
  f.series.map((s) => s.labels.map((l) => `${l.name}=${l.value}`).join(','));

describe.each(FIXTURES)('engine pass-through of $file', ({ file, syntax, prefix }) => {
  it('keeps exactly the families of the engine prefix, each with all its series', async () => {
    const text = await fixture(file);
    const all = source(text, syntax);
    const kept = run(text, syntax, { metricPrefixFilters: [prefix] });
    const expected = [...all.keys()].filter((n) => n.startsWith(prefix));
    expect(expected.length).toBeGreaterThan(10);
    expect(kept.map((f) => f.name)).toEqual(expected);
    for (const f of kept) expect(f.series).toHaveLength(all.get(f.name)!.series.length);
  });

  it('applies exclusions before the filter', async () => {
    const text = await fixture(file);
    const all = [...source(text, syntax).keys()].filter((n) => n.startsWith(prefix));
    const excluded = all.slice(0, 3);
    const kept = run(text, syntax, { metricPrefixFilters: [prefix], excludePrefixes: excluded });
    expect(kept.map((f) => f.name)).toEqual(all.filter((n) => !excluded.some((e) => n.startsWith(e))));
  });

  it('drops the Python runtime families with the TRT-LLM recipe, prefixing the rest once', async () => {
    const text = await fixture(file);
    const kept = run(text, syntax, { excludePrefixes: ['python_', 'process_'], addPrefix: 'trtllm_' });
    for (const f of kept) {
      expect(f.name.startsWith('trtllm_')).toBe(true);
      expect(f.name.startsWith('trtllm_trtllm_')).toBe(false);
      expect(f.name).not.toMatch(/^trtllm_(python|process)_/);
    }
    expect(kept.length).toBe(
      [...source(text, syntax).keys()].filter((n) => !/^(python|process)_/.test(n)).length,
    );
  });

  it('renames HELP, TYPE and every sample together, so the output parses back with the same series', async () => {
    const text = await fixture(file);
    const renamed = run(text, syntax, { metricPrefixFilters: [prefix], addPrefix: 'dynx_' });
    const original = source(text, syntax);
    for (const format of [TEXT_FORMAT, OPENMETRICS_FORMAT]) {
      const back = parseExposition(writeExposition(renamed, format), { syntax: format.name });
      expect(back.map((f) => f.name)).toEqual(renamed.map((f) => f.name));
      for (const f of back) {
        expect(f.name.startsWith('dynx_')).toBe(true);
        const from = original.get(prefix + f.name.slice('dynx_'.length));
        expect(f.type).toBe(
          from?.type === 'untyped' && format.name === 'openmetrics' ? 'untyped' : from?.type,
        );
        expect(f.series).toHaveLength(from!.series.length);
      }
    }
  });

  it("injects the auto, model and custom labels into every series, keeping the engine's own labels", async () => {
    const text = await fixture(file);
    const original = source(text, syntax);
    const kept = run(text, syntax, {
      metricPrefixFilters: [prefix],
      modelName: 'Llama-3-8B',
      customLabels: { team: 'infra' },
    });
    for (const f of kept) {
      const before = labelText(original.get(f.name)!);
      f.series.forEach((s, i) => {
        const names = s.labels.map((l) => l.name);
        expect(names).toEqual([...names].sort());
        for (const auto of Object.keys(AUTO)) expect(names).toContain(auto);
        expect(names).toContain('team');
        for (const pair of before[i].split(',').filter((p) => p !== ''))
          expect(labelText({ ...f, series: [s] })[0]).toContain(pair);
        const model = s.labels.find((l) => l.name === 'model')?.value;
        expect(model).toBe('Llama-3-8B');
      });
    }
  });

  it('combines filters, exclusions, renaming and injection in one pass', async () => {
    const text = await fixture(file);
    const kept = run(text, syntax, {
      metricPrefixFilters: [prefix, 'python_gc_'],
      excludePrefixes: ['python_gc_collections'],
      addPrefix: 'dyn_',
      modelName: 'm',
    });
    const hasPython = [...source(text, syntax).keys()].some((n) => n.startsWith('python_gc_objects'));
    expect(kept.some((f) => f.name.startsWith('dyn_objects_'))).toBe(hasPython);
    expect(kept.some((f) => f.name.includes('collections'))).toBe(false);
    for (const f of kept)
      for (const s of f.series) expect(s.labels.find((l) => l.name === 'model_name')).toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { nameRule, resolveEngineOptions, transformFamilies } from '../../src/engine/index.js';
import { OPENMETRICS_FORMAT, parseExposition, TEXT_FORMAT, writeExposition } from '../../src/expfmt/index.js';

const ENGINE = `# HELP vllm:num_requests_running Running requests.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{model_name="m"} 3.0
# HELP vllm:request_success_total Finished requests.
# TYPE vllm:request_success_total counter
vllm:request_success_total{finished_reason="stop",model_name="m"} 10.0
# HELP vllm:time_to_first_token_seconds TTFT.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} 1.0
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 2.0
vllm:time_to_first_token_seconds_count{model_name="m"} 2.0
vllm:time_to_first_token_seconds_sum{model_name="m"} 0.55
# HELP lmcache:num_hit_tokens Hit tokens.
# TYPE lmcache:num_hit_tokens gauge
lmcache:num_hit_tokens 7.0
# HELP trtllm_kv_cache_hit_rate Hit rate.
# TYPE trtllm_kv_cache_hit_rate gauge
trtllm_kv_cache_hit_rate 0.5
# HELP python_gc_objects_collected_total Objects collected.
# TYPE python_gc_objects_collected_total counter
python_gc_objects_collected_total{generation="0"} 12.0
# HELP process_cpu_seconds_total CPU.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total 1.5
`;

const AUTO = {
  dynamo_namespace: 'dynamo',
  dynamo_component: 'backend',
  dynamo_endpoint: 'generate',
  worker_id: 'abc',
};

function names(options: object, auto: Record<string, string> = {}): string[] {
  return transformFamilies(parseExposition(ENGINE), resolveEngineOptions(options, auto)).map((f) => f.name);
}

describe('filtering engine families', () => {
  it('keeps everything without options', () => {
    expect(names({})).toEqual([
      'vllm:num_requests_running',
      'vllm:request_success_total',
      'vllm:time_to_first_token_seconds',
      'lmcache:num_hit_tokens',
      'trtllm_kv_cache_hit_rate',
      'python_gc_objects_collected_total',
      'process_cpu_seconds_total',
    ]);
  });

  it('keeps a family when any filter prefix matches', () => {
    expect(names({ metricPrefixFilters: ['vllm:', 'lmcache:'] })).toEqual([
      'vllm:num_requests_running',
      'vllm:request_success_total',
      'vllm:time_to_first_token_seconds',
      'lmcache:num_hit_tokens',
    ]);
  });

  it('applies exclusions before the filters', () => {
    expect(names({ metricPrefixFilters: ['vllm:'], excludePrefixes: ['vllm:request'] })).toEqual([
      'vllm:num_requests_running',
      'vllm:time_to_first_token_seconds',
    ]);
    expect(names({ excludePrefixes: ['python_', 'process_'] })).toHaveLength(5);
  });

  it('strips the first matching filter prefix before adding the new one', () => {
    expect(names({ metricPrefixFilters: ['vllm:', 'lmcache:'], addPrefix: 'dynamo_engine_' })).toEqual([
      'dynamo_engine_num_requests_running',
      'dynamo_engine_request_success_total',
      'dynamo_engine_time_to_first_token_seconds',
      'dynamo_engine_num_hit_tokens',
    ]);
  });

  it('never adds a prefix twice', () => {
    expect(
      names({ excludePrefixes: ['python_', 'process_', 'vllm:', 'lmcache:'], addPrefix: 'trtllm_' }),
    ).toEqual(['trtllm_kv_cache_hit_rate']);
    expect(names({ metricPrefixFilters: ['trtllm_'], addPrefix: 'trtllm_' })).toEqual([
      'trtllm_kv_cache_hit_rate',
    ]);
  });

  it('prefixes every family when there are no filters (the TRT-LLM recipe)', () => {
    expect(names({ excludePrefixes: ['python_', 'process_'], addPrefix: 'trtllm_' })).toEqual([
      'trtllm_vllm:num_requests_running',
      'trtllm_vllm:request_success_total',
      'trtllm_vllm:time_to_first_token_seconds',
      'trtllm_lmcache:num_hit_tokens',
      'trtllm_kv_cache_hit_rate',
    ]);
  });

  it('keeps HELP, TYPE and every sample of a renamed family together, in both formats', () => {
    const families = transformFamilies(
      parseExposition(ENGINE),
      resolveEngineOptions({ metricPrefixFilters: ['vllm:time_to_'], addPrefix: 'engine_' }, {}),
    );
    expect(writeExposition(families, TEXT_FORMAT)).toBe(
      [
        '# HELP engine_first_token_seconds TTFT.',
        '# TYPE engine_first_token_seconds histogram',
        'engine_first_token_seconds_bucket{model_name="m",le="0.1"} 1',
        'engine_first_token_seconds_bucket{model_name="m",le="+Inf"} 2',
        'engine_first_token_seconds_sum{model_name="m"} 0.55',
        'engine_first_token_seconds_count{model_name="m"} 2',
        '',
      ].join('\n'),
    );
    const om = writeExposition(
      transformFamilies(
        parseExposition(ENGINE),
        resolveEngineOptions(
          {
            metricPrefixFilters: ['vllm:'],
            excludePrefixes: ['vllm:num', 'vllm:time'],
            addPrefix: 'engine_',
          },
          {},
        ),
      ),
      OPENMETRICS_FORMAT,
    );
    expect(om).toBe(
      '# HELP engine_request_success Finished requests.\n# TYPE engine_request_success counter\n' +
        'engine_request_success_total{finished_reason="stop",model_name="m"} 10.0\n# EOF\n',
    );
  });

  it('drops a family whose new name would be invalid', () => {
    expect(names({ metricPrefixFilters: ['vllm:num_requests_running'], addPrefix: '' })).toEqual([
      'vllm:num_requests_running',
    ]);
    const rule = nameRule(['vllm:'], [], 'x');
    expect(rule('vllm:')).toBe('x');
  });

  it('shares compiled rules between identical option sets, in a bounded cache', () => {
    expect(nameRule(['a_'], ['b_'], 'p_')).toBe(nameRule(['a_'], ['b_'], 'p_'));
    const first = nameRule(['lru_0'], [], '');
    for (let i = 1; i <= 64; i++) nameRule([`lru_${i}`], [], '');
    expect(nameRule(['lru_0'], [], '')).not.toBe(first);
  });
});

describe('injecting labels into engine series', () => {
  function labelsOf(options: object, text = ENGINE): string[] {
    const families = transformFamilies(parseExposition(text), resolveEngineOptions(options, AUTO));
    return families.flatMap((f) =>
      f.series.map((s) => `${f.name}{${s.labels.map((l) => `${l.name}=${l.value}`).join(',')}}`),
    );
  }

  it('adds the auto labels, model labels and custom labels to every series, sorted', () => {
    expect(
      labelsOf({ metricPrefixFilters: ['lmcache:'], modelName: 'llama', customLabels: { team: 'a' } }),
    ).toEqual([
      'lmcache:num_hit_tokens{dynamo_component=backend,dynamo_endpoint=generate,dynamo_namespace=dynamo,model=llama,model_name=llama,team=a,worker_id=abc}',
    ]);
  });

  it("lets the source's own labels win over injected ones, and auto labels win over custom ones", () => {
    const text = '# TYPE g gauge\ng{dynamo_endpoint="from-engine",model_name="engine-model"} 1\n';
    expect(labelsOf({ modelName: 'llama', customLabels: { worker_id: 'custom', team: 'a' } }, text)).toEqual([
      'g{dynamo_component=backend,dynamo_endpoint=from-engine,dynamo_namespace=dynamo,model=llama,model_name=engine-model,team=a,worker_id=abc}',
    ]);
  });

  it('labels histogram series without touching le', () => {
    const families = transformFamilies(
      parseExposition(ENGINE),
      resolveEngineOptions(
        { metricPrefixFilters: ['vllm:time_to'], injectAutoLabels: false, modelName: 'm2' },
        AUTO,
      ),
    );
    expect(writeExposition(families, TEXT_FORMAT)).toContain(
      'vllm:time_to_first_token_seconds_bucket{model="m2",model_name="m",le="0.1"} 1\n',
    );
  });
});

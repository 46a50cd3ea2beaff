import { describe, expect, it } from 'vitest';
import { lintFamilies, parseForLint, problemSubject } from '../../src/lint/index.js';

function dynamo(text: string, engineNames = false): string[] {
  const { families } = parseForLint(text, 'text');
  return lintFamilies(families, { engineNames })
    .problems.filter((p) => p.group === 'dynamo')
    .map((p) => `${problemSubject(p)} ${p.message}`);
}

const gauge = (name: string, sample = `${name} 0.5`) =>
  `# HELP ${name} H.\n# TYPE ${name} gauge\n${sample}\n`;
const counter = (name: string) => `# HELP ${name} H.\n# TYPE ${name} counter\n${name} 1\n`;

describe('Dynamo naming rules', () => {
  it('want a Dynamo prefix, and know the prefixes of the reference', () => {
    expect(dynamo(gauge('queue_depth') + gauge('dynamo_foo_depth') + gauge('dynamo_router_depth'))).toEqual([
      'dynamo_foo_depth unknown Dynamo prefix: expected one of dynamo_component_, dynamo_frontend_, dynamo_router_, dynamo_kvindexer_, dynamo_request_plane_, dynamo_transport_, dynamo_work_handler_, dynamo_rejection_, dynamo_tokio_, dynamo_routing_overhead_',
      'queue_depth has no Dynamo prefix: expected dynamo_component_ (workers) or dynamo_frontend_ (frontends)',
    ]);
  });

  it("want the unit last, before a counter's _total", () => {
    expect(
      dynamo(counter('dynamo_component_bytes_sent_total') + counter('dynamo_component_sent_bytes_total')),
    ).toEqual(['dynamo_component_bytes_sent_total the unit "_bytes" should come last in the name']);
  });

  it('want times in seconds and percentages spelled _percent', () => {
    expect(
      dynamo(gauge('dynamo_component_request_latency') + gauge('dynamo_component_cache_usage_perc')),
    ).toEqual([
      'dynamo_component_cache_usage_perc spell the unit "_percent", not "_perc"',
      'dynamo_component_request_latency measures time: end the name in "_seconds"',
    ]);
  });

  it('want _percent gauges to hold a fraction from 0 to 1', () => {
    expect(
      dynamo(
        gauge(
          'dynamo_component_kv_usage_percent',
          'dynamo_component_kv_usage_percent{worker_id="a"} 57\ndynamo_component_kv_usage_percent{worker_id="b"} 0.57',
        ),
      ),
    ).toEqual([
      'dynamo_component_kv_usage_percent{worker_id="a"} holds 57: Dynamo\'s _percent gauges hold a fraction from 0.0 to 1.0',
    ]);
  });

  it('advise against the discouraged suffixes and a total_ prefix on counters', () => {
    expect(
      dynamo(
        gauge('dynamo_component_hits_counter') +
          gauge('dynamo_component_depth_gauge') +
          gauge('dynamo_component_wait_time') +
          gauge('dynamo_component_batch_size') +
          gauge('dynamo_component_token_rate') +
          counter('dynamo_component_total_requests_total'),
      ),
    ).toEqual([
      'dynamo_component_batch_size avoid the suffix "_size": use _bytes or _length',
      'dynamo_component_depth_gauge avoid the suffix "_gauge": drop it',
      'dynamo_component_hits_counter avoid the suffix "_counter": use _total',
      'dynamo_component_token_rate avoid the suffix "_rate": use _per_second',
      'dynamo_component_total_requests_total counters end in "_total" and never start with "total_"',
      'dynamo_component_wait_time avoid the suffix "_time": use _seconds or _duration_seconds',
    ]);
  });

  it('exempt the names the reference defines, and engine families unless asked', () => {
    expect(
      dynamo(gauge('dynamo_frontend_model_kv_cache_block_size') + gauge('vllm:kv_cache_usage_perc')),
    ).toEqual([]);
    expect(dynamo(gauge('vllm:kv_cache_usage_perc'), true)).toEqual([
      'vllm:kv_cache_usage_perc has no Dynamo prefix: expected dynamo_component_ (workers) or dynamo_frontend_ (frontends)',
      'vllm:kv_cache_usage_perc spell the unit "_percent", not "_perc"',
    ]);
  });

  it('check the hierarchy labels and worker_id as the runtime writes them', () => {
    const series = [
      'dynamo_component_depth{dynamo_namespace="dynamo",dynamo_component="vllm-worker",dynamo_endpoint="generate",worker_id="694d9d78249cbd10"} 1',
      'dynamo_component_depth{dynamo_namespace="a.b",dynamo_component="backend",dynamo_endpoint="gen",worker_id="0x1F"} 1',
      'dynamo_component_depth{dynamo_namespace="a.@b",dynamo_endpoint="generate"} 1',
      'dynamo_component_depth{dynamo_component="backend"} 1',
    ].join('\n');
    expect(
      dynamo(
        gauge('dynamo_component_depth', series) +
          gauge(
            'dynamo_frontend_worker_last_depth',
            'dynamo_frontend_worker_last_depth{worker_id="7ab8"} 1\ndynamo_frontend_worker_last_depth{worker_id="1234"} 1\ndynamo_frontend_worker_last_depth{worker_id="-1"} 1',
          ),
      ),
    ).toEqual([
      'dynamo_component_depth dynamo_component="vllm-worker" is not a sanitized name (the runtime writes "vllm_worker")',
      'dynamo_component_depth dynamo_namespace="a.@b" is not a sanitized name (the runtime writes "a._b")',
      'dynamo_component_depth has dynamo_component without dynamo_namespace: a component belongs to a namespace',
      'dynamo_component_depth has dynamo_endpoint without dynamo_component: an endpoint belongs to a component',
      'dynamo_component_depth worker_id="0x1F" is not lower-case hexadecimal without 0x or leading zeros, as the runtime writes it',
      'dynamo_frontend_worker_last_depth worker_id="-1" is not lower-case hexadecimal without 0x or leading zeros, as the runtime writes it',
    ]);
  });
});

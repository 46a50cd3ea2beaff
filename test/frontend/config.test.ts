/**
 * Frontend configuration from the environment (reference spec §4.5, §6.3): the metric prefix, the
 * histogram buckets (documented and legacy doubled names; invalid combinations warn and fall back), the
 * port and the model-config poll interval.
 */
import { describe, expect, it } from 'vitest';
import { bucketsFromEnv, frontendConfigFromEnv } from '../../src/frontend/config.js';
import { ConfigError } from '../../src/runtime/config.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { LABEL, MODEL } from './assertions.js';
import { startDeployment } from './deployment.js';

const DEFAULTS = {
  REQUEST_DURATION: [0, 2, 4, 8, 16, 32, 64, 130, 260, 510],
  INPUT_SEQUENCE: [0, 100, 210, 430, 870, 1800, 3600, 7400, 15000, 31000, 63000, 130000],
  OUTPUT_SEQUENCE: [0, 100, 210, 430, 880, 1800, 3700, 7600, 16000, 32000],
  TTFT: [0, 0.0022, 0.0047, 0.01, 0.022, 0.047, 0.1, 0.22, 0.47, 1, 2.2, 4.7, 10, 22, 48, 100, 220, 480],
  ITL: [0, 0.0019, 0.0035, 0.0067, 0.013, 0.024, 0.045, 0.084, 0.16, 0.3, 0.56, 1.1, 2],
};

describe('histogram buckets', () => {
  it('default to the log-spaced lists of the spec', () => {
    const { buckets } = frontendConfigFromEnv({});
    expect({
      REQUEST_DURATION: buckets.REQUEST_DURATION,
      INPUT_SEQUENCE: buckets.INPUT_SEQUENCE,
      OUTPUT_SEQUENCE: buckets.OUTPUT_SEQUENCE,
      TTFT: buckets.TTFT,
      ITL: buckets.ITL,
    }).toEqual(DEFAULTS);
  });

  it('follow DYN_METRICS_<X>_{MIN,MAX,COUNT}, and the legacy doubled names', () => {
    expect(
      bucketsFromEnv(
        { DYN_METRICS_TTFT_MIN: '0.01', DYN_METRICS_TTFT_MAX: '10', DYN_METRICS_TTFT_COUNT: '4' },
        'TTFT',
      ),
    ).toEqual([0, 0.1, 1, 10]);
    expect(
      bucketsFromEnv(
        {
          DYN_HISTOGRAM_DYN_METRICS_ITL_MIN: '0.01',
          DYN_HISTOGRAM_DYN_METRICS_ITL_MAX: '10',
          DYN_HISTOGRAM_DYN_METRICS_ITL_COUNT: '4',
        },
        'ITL',
      ),
    ).toEqual([0, 0.1, 1, 10]);
    // The documented name wins over the legacy one.
    expect(
      bucketsFromEnv(
        {
          DYN_METRICS_ITL_COUNT: '3',
          DYN_HISTOGRAM_DYN_METRICS_ITL_COUNT: '5',
          DYN_METRICS_ITL_MIN: '1',
          DYN_METRICS_ITL_MAX: '100',
        },
        'ITL',
      ),
    ).toEqual([0, 10, 100]);
  });

  it('fall back to every default, with a warning, when the combination is invalid', () => {
    for (const env of [
      { DYN_METRICS_TTFT_MIN: '5', DYN_METRICS_TTFT_MAX: '1' },
      { DYN_METRICS_TTFT_MIN: '0' },
      { DYN_METRICS_TTFT_COUNT: '513' },
      { DYN_METRICS_TTFT_COUNT: '0' },
      { DYN_METRICS_TTFT_MIN: '-1' },
    ]) {
      const logger = new MemoryLogger();
      expect(bucketsFromEnv(env, 'TTFT', logger), JSON.stringify(env)).toEqual(DEFAULTS.TTFT);
      expect(
        logger.entries.map((e) => [e.level, e.message]),
        JSON.stringify(env),
      ).toEqual([['warn', 'Invalid histogram configuration given, using defaults']]);
    }
  });

  it('ignore an unparsable single value silently, keeping its default', () => {
    const logger = new MemoryLogger();
    expect(bucketsFromEnv({ DYN_METRICS_TTFT_MAX: 'lots' }, 'TTFT', logger)).toEqual(DEFAULTS.TTFT);
    expect(logger.entries).toEqual([]);
  });
});

describe('the metric prefix', () => {
  it('DYN_METRICS_PREFIX renames the request metrics, sanitized with a warning', async () => {
    const logger = new MemoryLogger();
    expect(frontendConfigFromEnv({ DYN_METRICS_PREFIX: 'my-app.v2' }, logger).prefix).toBe('my_app_v2');
    expect(logger.entries.map((e) => [e.level, e.message, e.fields])).toEqual([
      ['warn', 'Sanitized HTTP metrics prefix', { given: 'my-app.v2', used: 'my_app_v2' }],
    ]);
    const quiet = new MemoryLogger();
    expect(frontendConfigFromEnv({ DYN_METRICS_PREFIX: 'fleet' }, quiet).prefix).toBe('fleet');
    expect(quiet.entries).toEqual([]);
    expect(frontendConfigFromEnv({ DYN_METRICS_PREFIX: '' }).prefix).toBe('dynamo_frontend');

    const d = await startDeployment({
      engines: [{ model: MODEL, outputLength: { kind: 'fixed', value: 2 } }],
      frontend: { env: { DYN_METRICS_PREFIX: 'fleet' } },
    });
    try {
      expect((await d.post('/v1/completions', { model: MODEL, prompt: 'x' })).status).toBe(200);
      const names = new Set([...(await d.samples()).keys()].map((k) => k.replace(/[{ ].*/, '')));
      expect(names).toContain('fleet_requests_total');
      expect(names).toContain('fleet_time_to_first_token_seconds_bucket');
      expect(names).toContain('fleet_model_context_length');
      expect([...names].filter((n) => n.startsWith('dynamo_frontend_requests'))).toEqual([]);
      // The per-worker and pipeline gauges keep their literal names, as upstream.
      expect(names).toContain('dynamo_frontend_worker_last_time_to_first_token_seconds');
      expect((await d.samples()).get(`fleet_output_tokens_total{model="${LABEL}"}`)).toBe(2);
    } finally {
      await d.close();
    }
  });
});

describe('the port and the poll interval', () => {
  it('read DYN_HTTP_PORT and DYN_HTTP_SVC_CONFIG_METRICS_POLL_INTERVAL_SECS', () => {
    expect(frontendConfigFromEnv({}).httpPort).toBe(8000);
    expect(frontendConfigFromEnv({ DYN_HTTP_PORT: '9123' }).httpPort).toBe(9123);
    expect(() => frontendConfigFromEnv({ DYN_HTTP_PORT: '70000' })).toThrow(ConfigError);
    expect(() => frontendConfigFromEnv({ DYN_HTTP_PORT: 'http' })).toThrow(/DYN_HTTP_PORT/);
    expect(frontendConfigFromEnv({}).configPollIntervalMs).toBe(8000);
    expect(
      frontendConfigFromEnv({ DYN_HTTP_SVC_CONFIG_METRICS_POLL_INTERVAL_SECS: '0.5' }).configPollIntervalMs,
    ).toBe(500);
    const logger = new MemoryLogger();
    expect(
      frontendConfigFromEnv({ DYN_HTTP_SVC_CONFIG_METRICS_POLL_INTERVAL_SECS: '0' }, logger)
        .configPollIntervalMs,
    ).toBe(8000);
    expect(logger.entries.map((e) => e.level)).toEqual(['warn']);
  });
});

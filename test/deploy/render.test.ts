import { describe, expect, it } from 'vitest';
import { deployPath, readDeploy } from './helpers/assets.js';
import { type PrometheusConfig, renderScrapeConfig } from './helpers/scrape-config.js';

const render = (file: string, httpSd?: string) =>
  renderScrapeConfig(deployPath(file), readDeploy(file), {
    targets: { 'dynamo-frontend': ['127.0.0.1:1'], 'dynamo-backend': ['127.0.0.1:2', '127.0.0.1:3'] },
    httpSd,
    interval: '1s',
  });

describe('rendering a shipped scrape config for a local test', () => {
  it('points static jobs at the given targets, drops the others, and shortens every interval', () => {
    const { config, removedJobs } = render('prometheus/prometheus.yml');
    const c = JSON.parse(config) as PrometheusConfig;
    expect(removedJobs).toEqual(['nats-prometheus-exporter', 'etcd-server', 'dcgm-exporter', 'kvbm-metrics']);
    expect(c.global).toEqual({ scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' });
    expect(c.rule_files).toEqual([deployPath('prometheus/rules/*.rules.yml')]);
    expect(
      c.scrape_configs.map((j) => [j.job_name, j.scrape_interval, j.scrape_timeout, j.static_configs]),
    ).toEqual([
      ['dynamo-frontend', '1s', '1s', [{ targets: ['127.0.0.1:1'] }]],
      ['dynamo-backend', '1s', '1s', [{ targets: ['127.0.0.1:2', '127.0.0.1:3'] }]],
    ]);
  });

  it('points HTTP service discovery at the given address and keeps the rest of the job', () => {
    const c = JSON.parse(
      render('prometheus/prometheus-http-sd.yml', '127.0.0.1:9').config,
    ) as PrometheusConfig;
    const backend = c.scrape_configs.find((j) => j.job_name === 'dynamo-backend');
    expect(backend?.http_sd_configs).toEqual([
      { url: 'http://127.0.0.1:9/http_sd_config', refresh_interval: '15s' },
    ]);
    expect(backend?.honor_labels).toBe(true);
    expect(backend?.relabel_configs).toHaveLength(1);
  });

  it('refuses an HTTP-SD config without an address to point it at', () => {
    expect(() => render('prometheus/prometheus-http-sd.yml')).toThrow(
      'job dynamo-frontend uses HTTP-SD but no address was given',
    );
  });
});

/**
 * The shipped scrape configs: accepted by `promtool check config` (rules included), with the jobs and
 * intervals of Dynamo's local stack (reference spec §8.1) as a real Prometheus reads them, and an HTTP-SD
 * variant that differs only in how frontends and workers are found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prometheus } from '../helpers/prometheus.js';
import { requireTool, run, waitFor } from '../helpers/tools.js';
import { deployPath, deployYaml, readDeploy } from './helpers/assets.js';
import type { PrometheusConfig, ScrapeJob } from './helpers/scrape-config.js';

const STATIC = 'prometheus/prometheus.yml';
const HTTP_SD = 'prometheus/prometheus-http-sd.yml';

/** Job, interval and target of every job in spec §8.1 (the XPU exporter aside). */
const REFERENCE_JOBS = [
  ['dcgm-exporter', '5s', 'dcgm-exporter:9401'],
  ['dynamo-backend', '6s', 'host.docker.internal:8081'],
  ['dynamo-frontend', '10s', 'host.docker.internal:8000'],
  ['etcd-server', '2s', 'etcd-server:2379'],
  ['kvbm-metrics', '2s', 'host.docker.internal:6880'],
  ['nats-prometheus-exporter', '2s', 'nats-prometheus-exporter:7777'],
];

const DYNAMO_JOBS = ['dynamo-frontend', 'dynamo-backend'];

describe.each([STATIC, HTTP_SD])('%s', (file) => {
  it('passes promtool check config, with both rule files', async () => {
    const result = await run(requireTool('promtool', 'prometheus'), ['check', 'config', deployPath(file)]);
    expect(result.stdout).toContain('SUCCESS: 2 rule files found');
    expect(result.stdout).toContain('is valid prometheus config file syntax');
    expect(result.stdout).toContain('SUCCESS: 5 rules found');
    expect(result.code).toBe(0);
  });

  it('scrapes every 10 s, evaluates every 10 s, and loads the shipped rules', () => {
    const config = deployYaml<PrometheusConfig>(file);
    expect(config.global).toEqual({ scrape_interval: '10s', evaluation_interval: '10s' });
    expect(config.rule_files).toEqual(['rules/*.rules.yml']);
  });

  it('explains DYN_SYSTEM_PORT next to the workers job', () => {
    const text = readDeploy(file);
    const comment = text.slice(0, text.indexOf('job_name: dynamo-backend')).split('\n\n').at(-1) ?? '';
    expect(comment).toMatch(/^\s*#/);
    expect(comment).toContain('DYN_SYSTEM_PORT');
  });
});

describe('the HTTP-SD variant', () => {
  const jobs = (file: string) => deployYaml<PrometheusConfig>(file).scrape_configs;
  const byName = (list: ScrapeJob[], name: string) => list.find((j) => j.job_name === name) as ScrapeJob;

  it('keeps the static config for everything but the frontends and workers', () => {
    const staticJobs = jobs(STATIC);
    const sdJobs = jobs(HTTP_SD);
    expect(sdJobs.map((j) => [j.job_name, j.scrape_interval])).toEqual(
      staticJobs.map((j) => [j.job_name, j.scrape_interval]),
    );
    for (const j of sdJobs.filter((x) => !DYNAMO_JOBS.includes(x.job_name))) {
      expect(j).toEqual(byName(staticJobs, j.job_name));
    }
  });

  it('finds frontends and workers through one /http_sd_config, keeping the series labels', () => {
    const [frontend, backend] = DYNAMO_JOBS.map((name) => byName(jobs(HTTP_SD), name));
    for (const job of [frontend, backend]) {
      expect(job.static_configs).toBeUndefined();
      expect(job.honor_labels).toBe(true);
      expect(job.http_sd_configs).toEqual([
        { url: 'http://host.docker.internal:8000/http_sd_config', refresh_interval: '15s' },
      ]);
    }
    expect(frontend.relabel_configs).toEqual([
      { source_labels: ['dynamo_component'], regex: 'frontend', action: 'keep' },
    ]);
    expect(backend.relabel_configs).toEqual([
      { source_labels: ['dynamo_component'], regex: 'frontend', action: 'drop' },
    ]);
  });
});

describe('a real Prometheus 2.42 loading the shipped prometheus.yml as is', () => {
  let prometheus: Prometheus;

  beforeAll(async () => {
    prometheus = await Prometheus.start(readDeploy(STATIC));
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('has the jobs, intervals and targets of the reference local stack', async () => {
    const targets = await waitFor('the static targets', 30_000, async () => {
      const res = await fetch(`${prometheus.url}/api/v1/targets`);
      const body = (await res.json()) as {
        data: {
          activeTargets: { scrapePool: string; scrapeInterval: string; labels: { instance: string } }[];
        };
      };
      const active = body.data.activeTargets;
      return active.length === REFERENCE_JOBS.length ? active : undefined;
    });
    expect(targets.map((t) => [t.scrapePool, t.scrapeInterval, t.labels.instance]).sort()).toEqual(
      REFERENCE_JOBS,
    );
  });
});

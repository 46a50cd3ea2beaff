// The web dashboard: scrape targets into an embedded Prometheus, serve the panels and the Prometheus API.
import { CounterVec, inProcessTarget, Registry, startDashboard } from 'dynametrics';

export async function main(): Promise<string> {
  const registry = new Registry();
  const requests = registry.register(
    new CounterVec({ name: 'dynamo_frontend_requests_total', help: 'Requests.', labelNames: ['model'] }),
  );
  requests.labels('llama').inc(3);
  const dashboard = await startDashboard({
    // httpTarget({ job: 'dynamo', url: 'http://127.0.0.1:8000/metrics' }) scrapes a remote /metrics
    targets: [inProcessTarget({ job: 'dynamo', instance: 'local', source: registry })],
    port: 0, // 0 picks a free port; open dashboard.url in a browser
  });
  try {
    await dashboard.scraper.scrapeNow(); // or wait for the next scrape (every 5 s by default)
    const page = await fetch(dashboard.url);
    const query = encodeURIComponent('sum(dynamo_frontend_requests_total)');
    const answer = await fetch(`${dashboard.url}/api/v1/query?query=${query}`); // Grafana's data source URL too
    const body = (await answer.json()) as { data: { result: { value: [number, string] }[] } };
    return `${page.headers.get('content-type')}\n${body.data.result[0].value[1]}\n`;
  } finally {
    await dashboard.close();
  }
}

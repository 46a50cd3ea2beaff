// The system status server: /metrics (text or OpenMetrics, gzip), /health and /live.
import { DistributedRuntime } from 'dynametrics';

export async function main(): Promise<string> {
  // Port 0 picks a free port (DYN_SYSTEM_PORT=0 does the same from the environment).
  const drt = await DistributedRuntime.create({
    systemServer: { port: 0, host: '127.0.0.1', startingHealthStatus: 'ready' },
  });
  try {
    drt
      .namespace('dynamo')
      .component('backend')
      .endpoint('generate')
      .metrics.createCounter('tokens_total', 'Tokens.')
      .inc(5);
    const url = drt.systemServer?.url;
    const metrics = await fetch(`${url}/metrics`, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0' },
    });
    const health = await fetch(`${url}/health`);
    const body = (await health.json()) as { status: string };
    return `${metrics.headers.get('content-type')}\n${health.status} ${body.status}\n`;
  } finally {
    await drt.shutdown(); // closes the server: the process can exit
  }
}

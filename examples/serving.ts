// Serving an endpoint: an async generator per request, called through the endpoint's client; every
// request is accounted for in the work-handler metrics on the endpoint's registry.
import { DistributedRuntime, type RequestPlaneError, StaticDiscovery } from 'dynametrics';

export async function main(): Promise<string> {
  const drt = new DistributedRuntime({
    instanceId: 0x694d9d78249cbd10n,
    systemServer: false,
    discovery: new StaticDiscovery(), // the default is a directory shared by the workers of a host
  });
  try {
    const generate = drt.namespace('dynamo').component('backend').endpoint('generate');
    await generate.serve<{ prompt: string }, string>(
      async function* shout(request, context) {
        if (request.prompt === '') throw new Error('empty prompt');
        for (const word of request.prompt.split(' ')) {
          if (context.signal.aborted) return; // the caller went away: stop working
          yield word.toUpperCase();
        }
      },
      { metricsLabels: { model: 'shout-1', model_name: 'shout-1' } },
    );

    // The client finds instances through discovery; this one is served in this process, so the call
    // does not touch the network (another process's instance is called over HTTP).
    const client = generate.client();
    const words: unknown[] = [];
    for await (const chunk of client.generate({ prompt: 'hello dynamo world' })) words.push(chunk);
    let failure = '';
    try {
      for await (const _ of client.generate({ prompt: '' })) {
      }
    } catch (e) {
      failure = `${(e as RequestPlaneError).kind} ${(e as RequestPlaneError).errorType}`;
    }

    // Every line of the work-handler metrics that is not zero (inflight is, once the requests ended).
    const metrics = (await generate.metrics.prometheusExpfmt())
      .split('\n')
      .filter((line) => /^dynamo_component_(requests_total|inflight_requests|errors_total)/.test(line))
      .filter((line) => !line.endsWith(' 0') || line.startsWith('dynamo_component_inflight'));
    return [words.join(' '), failure, ...metrics].join('\n');
  } finally {
    await drt.shutdown(); // withdraws the instance and stops the request plane
  }
}

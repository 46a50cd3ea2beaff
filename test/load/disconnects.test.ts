/**
 * The load generator's own accounting of the requests it abandons on purpose: each is one cancellation,
 * never also an error (aborting the body made leaving the SSE loop throw, which was counted as a network
 * error on top of the cancellation).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RequestResult, runLoad } from '../../src/load/generator.js';
import { parseDistribution } from '../../src/util/distribution.js';
import { closeDeployments, startDeployment } from '../frontend/deployment.js';

afterEach(closeDeployments);

describe('the load generator abandoning requests', () => {
  it('counts each abandoned request once, as cancelled, and every other one once', async () => {
    const d = await startDeployment({
      engines: [{ model: 'm', ttftBaseMs: 5, interTokenLatencyMs: 5, outputLength: parseDistribution('20') }],
    });
    const results: RequestResult[] = [];
    const stats = await runLoad({
      url: d.url,
      model: 'm',
      concurrency: 4,
      requests: 40,
      outputTokens: parseDistribution('20'),
      disconnectFraction: 0.5,
      seed: 3,
      onResult: (r) => results.push(r),
    });
    const cancelled = results.filter((r) => r.outcome === 'cancelled').length;
    expect(cancelled).toBeGreaterThan(5);
    expect(results.filter((r) => r.outcome === 'ok')).toHaveLength(40 - cancelled);
    expect([...stats.errors]).toEqual([]);
    expect({ sent: stats.sent, completed: stats.completed, cancelled: stats.cancelled }).toEqual({
      sent: 40,
      completed: 40 - cancelled,
      cancelled,
    });
  });
});

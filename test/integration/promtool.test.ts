import { describe, expect, it } from 'vitest';
import { TEXT_FORMAT, writeExposition } from '../../src/expfmt/index.js';
import { sampleRegistry } from '../helpers/sample-registry.js';
import { promtoolCheckMetrics } from '../helpers/tools.js';

describe('promtool check metrics', () => {
  it('passes the text exposition of every metric type, awkward label values included', async () => {
    const exposition = writeExposition(sampleRegistry().gather(), TEXT_FORMAT);
    const result = await promtoolCheckMetrics(exposition);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('is a real check: it flags a counter without _total', async () => {
    const result = await promtoolCheckMetrics(
      '# HELP bad_requests B.\n# TYPE bad_requests counter\nbad_requests 3\n',
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('bad_requests counter metrics should have "_total" suffix');
  });
});

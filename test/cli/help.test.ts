import { describe, expect, it } from 'vitest';
import { dynametrics } from '../helpers/cli.js';

describe('--help of the dashboard and tool commands', () => {
  it.each([
    [
      'dashboard',
      'exit codes: 0 stopped cleanly, 1 could not start (e.g. the port is taken), 2 bad options\n',
    ],
    [
      'check',
      'exit codes: 0 no problems, 1 problems found, or the target is unreachable, is not metrics (an HTML\n',
    ],
    [
      'query',
      'exit codes: 0 answered (also with no series), 1 no target could be scraped or the evaluation failed,\n',
    ],
    ['top', 'exit codes: 0 stopped (Ctrl-C or --duration), 2 bad options\n'],
  ])('%s documents its usage and exit codes', async (command, exitCodes) => {
    const result = await dynametrics(command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(`usage: dynametrics ${command} `)).toBe(true);
    expect(result.stdout).toContain(exitCodes);
  });

  it('lists every command in the overview', async () => {
    const result = await dynametrics('--help');
    for (const command of ['dashboard', 'check', 'query', 'top']) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${command} +\\S`));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { dynametrics } from '../helpers/cli.js';

describe('worker and frontend options', () => {
  it.each([
    [
      'worker',
      ['--advertise-host', 'node-7:9090'],
      '--advertise-host must be a host name or an IP address, got "node-7:9090": it is not a host name or an IP address',
    ],
    [
      'frontend',
      ['--advertise-host', '0.0.0.0'],
      '--advertise-host must be a host name or an IP address, got "0.0.0.0": a wildcard address cannot be dialled; name an address of this machine',
    ],
    ['worker', ['--engine', 'tgi'], '--engine must be mock or openai'],
    ['frontend', ['--http-port', '70000'], '--http-port must be a port between 0 and 65535, got 70000'],
  ])('%s %j exits 2, saying what is wrong', async (command, args, message) => {
    const result = await dynametrics(command, ...args);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toBe(
      `dynametrics ${command}: ${message}\nRun "dynametrics ${command} --help" for usage.\n`,
    );
  });

  it.each(['worker', 'frontend'])('%s documents --advertise-host', async (command) => {
    const result = await dynametrics(command, '--help');
    expect(result.stdout).toMatch(/\n {2}--advertise-host HOST +the address other machines reach this /);
  });
});

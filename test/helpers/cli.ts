import { fileURLToPath } from 'node:url';
import { type RunResult, run } from './tools.js';

/** The compiled `dynametrics` command, as installed by npm. */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export function dynametrics(...args: string[]): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args]);
}

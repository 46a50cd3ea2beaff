/**
 * Runs one exported function of a bench module in a fresh Node process with its own V8 flags, and returns
 * its (JSON-serialisable) result. Heap measurements use it: a process that has not run the other suites,
 * with `--no-concurrent-recompilation` so optimised code is not installed into the heap at random moments
 * between two measurements (which moved per-series figures by +-20 bytes).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The message the child receives. */
export interface IsolatedCall {
  /** File URL of the module to import. */
  readonly module: string;
  /** Name of the exported async function to call with `argument`. */
  readonly fn: string;
  readonly argument: unknown;
}

export type IsolatedReply =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: string };

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export function runIsolated<T>(call: IsolatedCall, execArgv: readonly string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: [...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.once('message', (reply: IsolatedReply) => {
      settled = true;
      if (reply.ok) resolve(reply.result as T);
      else reject(new Error(`isolated ${call.fn}: ${reply.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`isolated ${call.fn}: child exited with code ${code} before replying`));
    });
    child.send(call);
  });
}

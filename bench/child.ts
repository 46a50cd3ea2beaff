/**
 * Entry point of a process started by `runIsolated`: imports the requested module, calls the requested
 * export with the argument and sends the result back over IPC.
 */
import type { IsolatedCall, IsolatedReply } from './isolate.js';

process.once('message', async (call: IsolatedCall) => {
  let reply: IsolatedReply;
  try {
    const mod = (await import(call.module)) as Record<string, (argument: unknown) => unknown>;
    const fn = mod[call.fn];
    if (typeof fn !== 'function') throw new Error(`${call.module} has no export ${call.fn}`);
    reply = { ok: true, result: await fn(call.argument) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send!(reply, () => process.disconnect());
});

/**
 * Waiting for a long-running command to be told to stop. Call it before the command announces that it is
 * ready: a supervisor (or a test) may send SIGTERM the moment it reads the ready line, and a signal that
 * arrives before a listener exists kills the process with the default action instead of a clean shutdown.
 */

/** Why the wait ended. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'duration' | 'aborted';

export interface UntilStoppedOptions {
  /** Stop after this many seconds. */
  readonly seconds?: number;
  /** Stop when this signal aborts. */
  readonly signal?: AbortSignal;
  /** Listen for SIGINT and SIGTERM (default true). */
  readonly handleSignals?: boolean;
}

/** Resolves with the reason once the process receives SIGINT or SIGTERM, the time is up, or `signal` aborts. */
export function untilStopped(options: UntilStoppedOptions = {}): Promise<StopReason> {
  return new Promise((resolve) => {
    const { seconds, signal, handleSignals = true } = options;
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    const onAbort = () => done('aborted');
    const timer = seconds === undefined ? undefined : setTimeout(() => done('duration'), seconds * 1000);
    function done(why: StopReason): void {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      resolve(why);
    }
    if (handleSignals) {
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
    }
    if (signal?.aborted) done('aborted');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A signal that aborts when standard input reaches its end: a child started with a piped stdin by a
 * supervisor (the demo starts its workers so) sees that when the supervisor exits, however it exits, even
 * by SIGKILL, so no orphan keeps serving. `release()` stops reading stdin so the process can exit.
 */
export function stdinLifeline(): { readonly signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const stdin = process.stdin;
  const onEnd = () => controller.abort(new Error('standard input closed'));
  stdin.on('end', onEnd);
  stdin.on('close', onEnd);
  stdin.on('error', onEnd);
  stdin.resume();
  return {
    signal: controller.signal,
    release() {
      stdin.off('end', onEnd);
      stdin.off('close', onEnd);
      stdin.pause();
      stdin.destroy();
    },
  };
}

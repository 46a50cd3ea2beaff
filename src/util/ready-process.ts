/**
 * Child processes that announce readiness: a process started this way prints one JSON line with
 * `"event":"ready"` on stdout when it can take work (the `worker`, `frontend`, `dashboard` and `demo`
 * commands all do), and is stopped by SIGTERM, then SIGKILL after a grace period. Used by the demo to run
 * its workers and by the multi-process tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ReadyProcess<R> {
  readonly child: ChildProcess;
  /** The parsed ready line. */
  readonly ready: R;
  /** Everything the process wrote to stderr so far (capped), for error messages. */
  stderr(): string;
  /** The stdout lines after the ready line, so far (capped). */
  stdoutLines(): readonly string[];
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves with the exit code (null if killed). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL at once. */
  kill(): Promise<void>;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

export interface SpawnReadyOptions {
  /** What to call the process in error messages (default the command line). */
  readonly name?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for the ready line (default 20 s); the process is killed after that. */
  readonly timeoutMs?: number;
  /**
   * `pipe` keeps the child's stdin open for as long as this process lives: a child started with
   * `--exit-with-parent` stops when it closes (default `ignore`).
   */
  readonly stdin?: 'pipe' | 'ignore';
  /** Called with every stderr line. */
  readonly onStderrLine?: (line: string) => void;
}

const STDERR_CAP = 64 * 1024;
const STDOUT_LINES_CAP = 10_000;

/** Starts `command args` and resolves once it prints its ready line; rejects if it exits or times out first. */
export function spawnReady<R = Record<string, unknown>>(
  command: string,
  args: readonly string[],
  options: SpawnReadyOptions = {},
): Promise<ReadyProcess<R>> {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const what = options.name ?? [command, ...args].join(' ');
  let err = '';
  const lines: string[] = [];
  child.stderr?.setEncoding('utf8');
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (err.length < STDERR_CAP) err += `${line}\n`;
    options.onStderrLine?.(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${message}${err ? `:\n${err}` : ''}`));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`${what} did not become ready within ${timeoutMs} ms`);
    }, timeoutMs);
    child.on('error', (e) => fail(`${what} could not be started: ${e.message}`));
    child.on('exit', (code, signal) => fail(`${what} exited (${code ?? signal}) before it was ready`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (settled) {
        if (lines.length < STDOUT_LINES_CAP) lines.push(line);
        return;
      }
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as { event?: string };
        if (parsed.event !== 'ready') return;
        settled = true;
        clearTimeout(timer);
        resolve({
          child,
          ready: parsed as R,
          stderr: () => err,
          stdoutLines: () => lines,
          stop,
          kill,
          exited,
        });
      } catch {}
    });
  });
}

/**
 * The shape of a `dynametrics` command and the exit codes every command uses:
 * 0 success, 1 the command failed (a target unreachable, a check found problems, a server could not
 * start), 2 the command line was wrong (unknown command or option, bad value).
 */
import { parseArgs } from 'node:util';
import { advertiseHostProblem } from '../http/server-url.js';

export const ExitCode = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/** Output streams, injectable so commands can be tested in process. */
export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  run(argv: string[], io: Io): Promise<number>;
}

/** A command line that cannot be run; its message is shown with a pointer to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Option declarations, as `node:util` parseArgs takes them. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

type Parsed<O extends OptionSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

/** `node:util` parseArgs in strict mode, with errors turned into {@link UsageError}. */
export function parseOptions<O extends OptionSpec>(
  argv: string[],
  options: O,
  allowPositionals = false,
): Parsed<O> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals }) as Parsed<O>;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Parses a non-negative number option (seconds, rates, counts). */
export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  { integer = false, min = 0 } = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Checks an advertise-host option: a host name or an IP address alone (see http/server-url.ts). */
export function advertiseHostOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = advertiseHostProblem(value);
  if (problem !== undefined)
    throw new UsageError(
      `--${name} must be a host name or an IP address, got ${JSON.stringify(value)}: ${problem}`,
    );
  return value;
}

/** Parses a port option: 0–65535. */
export function portOption(name: string, value: string | undefined, fallback: number): number {
  const port = numberOption(name, value, fallback, { integer: true });
  if (port > 65535) throw new UsageError(`--${name} must be a port between 0 and 65535, got ${value}`);
  return port;
}

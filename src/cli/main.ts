#!/usr/bin/env node
/**
 * The `dynametrics` command: `dynametrics <command> [options]`, `--help` on every command.
 * Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, ExitCode, type Io, UsageError } from './command.js';
import { check } from './commands/check.js';
import { dashboard } from './commands/dashboard.js';
import { demo } from './commands/demo.js';
import { frontend } from './commands/frontend.js';
import { load } from './commands/load.js';
import { mockEngine } from './commands/mock-engine.js';
import { query } from './commands/query.js';
import { top } from './commands/top.js';
import { worker } from './commands/worker.js';

export const COMMANDS: readonly Command[] = [
  demo,
  frontend,
  worker,
  mockEngine,
  load,
  dashboard,
  check,
  query,
  top,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `usage: dynametrics <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "dynametrics <command> --help" for a command's options.
Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.
`;
}

/** Runs a command line; returns the exit code. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr.write(
      `dynametrics: unknown command ${JSON.stringify(name)}; run "dynametrics --help" for the list\n`,
    );
    return ExitCode.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help);
    return ExitCode.OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`dynametrics ${name}: ${e.message}\nRun "dynametrics ${name} --help" for usage.\n`);
      return ExitCode.USAGE;
    }
    io.stderr.write(`dynametrics ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.FAILURE;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

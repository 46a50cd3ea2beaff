/**
 * Builds dist/ before the tests, when it is older than the sources: tests that spawn `dynametrics` run
 * the compiled command, exactly what users run.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/bootstrap.mjs', 'build'], { stdio: 'inherit' });
}

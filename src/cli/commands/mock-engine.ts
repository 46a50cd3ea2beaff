import { MOCK_ENGINE_USAGE, runMockEngineServer } from '../../engines/mock-server-cli.js';
import type { Command } from '../command.js';

export const mockEngine: Command = {
  name: 'mock-engine',
  summary: 'run the seeded mock engine as an OpenAI-compatible server with vLLM-style /metrics',
  help: `${MOCK_ENGINE_USAGE}
exit codes: 0 stopped cleanly, 1 could not start, 2 bad options
`,
  run(argv, io) {
    return runMockEngineServer({
      argv,
      stdout: (text) => io.stdout.write(text),
      stderr: (text) => io.stderr.write(text),
    });
  },
};

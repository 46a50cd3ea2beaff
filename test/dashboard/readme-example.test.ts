import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('the README dashboard example', () => {
  it('appears in the README exactly as in examples/dashboard.ts', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const source = await readFile(new URL('../../examples/dashboard.ts', import.meta.url), 'utf8');
    expect(readme).toContain(`<!-- example: examples/dashboard.ts -->\n\`\`\`ts\n${source}\`\`\``);
  });

  it('serves the page and answers a query', async () => {
    const name = 'dashboard';
    const example = (await import(`../../examples/${name}.ts`)) as { main: () => Promise<string> };
    expect(await example.main()).toBe('text/html; charset=utf-8\n3\n');
  });
});

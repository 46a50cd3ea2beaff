/**
 * README examples are real files under examples/ embedded verbatim after an `<!-- example: ... -->`
 * marker; the tests import and run the files, so what the README shows is what was tested.
 */
import { readFile } from 'node:fs/promises';

/** The README block an example must appear as: the marker, then the file in a `ts` fence. */
export async function readmeBlockOf(name: string): Promise<{ readme: string; block: string }> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const source = await readFile(new URL(`../../examples/${name}.ts`, import.meta.url), 'utf8');
  return { readme, block: `<!-- example: examples/${name}.ts -->\n\`\`\`ts\n${source}\`\`\`` };
}

/** Runs an example's `main()`. */
export async function runExample(name: string): Promise<string> {
  const example = (await import(`../../examples/${name}.ts`)) as { main: () => string | Promise<string> };
  return example.main();
}

/**
 * Engine expositions for the benchmarks: the fixtures of `test/fixtures/engines/` as they are, and vLLM's
 * exposition grown to a requested size by the same generator (more data-parallel engine cores), so the
 * benchmarks measure the layout, names and numbers a real engine serves rather than synthetic text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './report.js';

/** The fixtures by engine, with the prefix a worker would filter on. */
export const ENGINE_FIXTURES = [
  { file: 'vllm.txt', prefix: 'vllm:' },
  { file: 'vllm-openmetrics.txt', prefix: 'vllm:' },
  { file: 'sglang.txt', prefix: 'sglang:' },
  { file: 'trtllm.txt', prefix: 'trtllm_' },
  { file: 'lmcache.txt', prefix: 'lmcache:' },
] as const;

export function readEngineFixture(file: string): string {
  return readFileSync(join(packageRoot(), 'test', 'fixtures', 'engines', file), 'utf8');
}

/** What `scripts/generate-engine-fixtures.mjs` exports for sized expositions. */
interface Generator {
  vllmExpositionOfAtLeast(minBytes: number): { text: string; engineCores: number };
}

/** A vLLM text exposition of at least `minBytes` bytes (UTF-8), and how many engine cores it shows. */
export async function vllmExposition(minBytes: number): Promise<{ text: string; engineCores: number }> {
  // The generator is plain JavaScript outside the compiled tree, so it is loaded from the package root.
  const url = pathToFileURL(join(packageRoot(), 'scripts', 'generate-engine-fixtures.mjs')).href;
  const generator = (await import(url)) as Generator;
  return generator.vllmExpositionOfAtLeast(minBytes);
}

/** Size of a text in UTF-8 bytes, as it travels. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Text the mock engine generates: words drawn from a small vocabulary with a seeded generator. Every
 * piece it emits is exactly one token under the mock tokenizer (a word of at most 8 letters with its
 * leading space, or one punctuation mark), so re-tokenizing the output gives the same count the engine
 * reported.
 */
import type { Prng } from '../util/prng.js';

/** Words of at most 8 letters; each is one token. */
export const MOCK_VOCABULARY: readonly string[] = Object.freeze([
  'the',
  'model',
  'token',
  'cache',
  'prefix',
  'request',
  'worker',
  'metric',
  'latency',
  'stream',
  'engine',
  'block',
  'batch',
  'decode',
  'prefill',
  'router',
  'frontend',
  'endpoint',
  'queue',
  'signal',
  'is',
  'are',
  'was',
  'runs',
  'serves',
  'holds',
  'sends',
  'reads',
  'keeps',
  'waits',
  'fast',
  'slow',
  'warm',
  'cold',
  'long',
  'short',
  'every',
  'each',
  'one',
  'many',
  'and',
  'or',
  'but',
  'then',
  'with',
  'from',
  'into',
  'over',
  'under',
  'while',
]);

/** Punctuation pieces, emitted with a lower probability than words; each is one token. */
const PUNCTUATION: readonly string[] = ['.', ','];

/**
 * The next generated piece. The first piece of a chat answer has no leading space; every other word has
 * one. About one piece in eight is punctuation (never the first).
 */
export function nextPiece(rng: Prng, index: number, chat: boolean): string {
  const r = rng.next();
  const w = rng.int(0, MOCK_VOCABULARY.length - 1);
  if (index > 0 && r < 0.125) return PUNCTUATION[w % PUNCTUATION.length]!;
  const word = MOCK_VOCABULARY[w]!;
  return index === 0 && chat ? word : ` ${word}`;
}

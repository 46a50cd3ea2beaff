import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPiece } from '../../src/engines/mock-text.js';
import { countTokens, tokenize } from '../../src/engines/tokenizer.js';
import { deriveSeed, Prng } from '../../src/util/prng.js';

describe('the mock tokenizer', () => {
  it('splits words with their leading whitespace and punctuation one character at a time', () => {
    expect(tokenize('Hello, world!')).toEqual(['Hello', ',', ' world', '!']);
    expect(tokenize('  two  spaces ')).toEqual(['  two', '  spaces', ' ']);
    expect(tokenize('internationalization')).toEqual(['internat', 'ionaliza', 'tion']);
    expect(tokenize('<|user|>\nHi\n')).toEqual(['<', '|', 'user', '|', '>', '\nHi', '\n']);
    expect(tokenize('')).toEqual([]);
  });

  it('gives back the text exactly when the tokens are joined, and counts what it splits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const tokens = tokenize(text);
        expect(tokens.join('')).toBe(text);
        expect(countTokens(text)).toBe(tokens.length);
      }),
    );
  });
});

describe('the mock text', () => {
  it('emits pieces that are one token each, so re-tokenizing the output gives the reported count', () => {
    const rng = new Prng(1);
    let text = '';
    for (let i = 0; i < 500; i++) {
      const piece = nextPiece(rng, i, i % 2 === 0);
      expect(countTokens(piece)).toBe(1);
      text += piece;
    }
    expect(countTokens(text)).toBe(500);
  });
});

describe('Prng', () => {
  it('repeats its stream for a seed and differs between derived seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(deriveSeed(42, 1)).not.toBe(deriveSeed(42, 2));
    expect(deriveSeed(42, 1)).toBe(deriveSeed(42, 1));
  });

  it('draws integers within bounds, both ends included', () => {
    const rng = new Prng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(2, 5);
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThanOrEqual(5);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });
});

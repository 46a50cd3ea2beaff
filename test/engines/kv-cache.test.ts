import { describe, expect, it } from 'vitest';
import { hashBlocks, KvBlockPool } from '../../src/engines/kv-cache.js';

const tokens = (n: number, prefix = 't'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('hashBlocks', () => {
  it('hashes full blocks only, each chained to the blocks before it', () => {
    const a = hashBlocks(tokens(10), 4);
    expect(a).toHaveLength(2);
    const b = hashBlocks([...tokens(4, 'x'), ...tokens(10).slice(4)], 4);
    // Same second block, different first block: the chain makes the second hash differ too.
    expect(b[1]).not.toBe(a[1]);
    expect(hashBlocks(tokens(12), 4).slice(0, 2)).toEqual(a);
  });
});

describe('KvBlockPool', () => {
  it('allocates a prompt, registers it, and shares its prefix with a later prompt', () => {
    const pool = new KvBlockPool(16, 4);
    const p = tokens(10);
    const first = pool.allocatePrompt(hashBlocks(p, 4), 10)!;
    expect(first.cachedTokens).toBe(0);
    expect(pool.usedBlocks).toBe(3);
    pool.register(first);
    const second = pool.allocatePrompt(hashBlocks(p, 4), 10)!;
    expect(second.cachedTokens).toBe(8);
    // Two shared blocks, one fresh block for the partial last one.
    expect(pool.usedBlocks).toBe(4);
    pool.release(first);
    pool.release(second);
    expect(pool.usedBlocks).toBe(0);
    expect(pool.cachedBlocks).toBe(2);
  });

  it('never serves the last prompt token from the cache', () => {
    const pool = new KvBlockPool(16, 4);
    const p = tokens(8);
    const a = pool.allocatePrompt(hashBlocks(p, 4), 8)!;
    pool.register(a);
    pool.release(a);
    expect(pool.cachedPrefixBlocks(hashBlocks(p, 4), 8)).toBe(1);
    expect(pool.cachedPrefixBlocks(hashBlocks(tokens(9), 4), 9)).toBe(2);
  });

  it('evicts the least recently released cached blocks, tail first, when fresh blocks run out', () => {
    const pool = new KvBlockPool(4, 2);
    const a = pool.allocatePrompt(hashBlocks(tokens(5, 'a'), 2), 5)!;
    pool.register(a);
    pool.release(a);
    expect(pool.cachedBlocks).toBe(2);
    const b = pool.allocatePrompt(hashBlocks(tokens(6, 'b'), 2), 6)!;
    expect(b.blocks).toHaveLength(3);
    // b takes the two plain free blocks, then evicts the tail of a's cached prefix; its head stays cached.
    expect(pool.cachedPrefixBlocks(hashBlocks(tokens(5, 'a'), 2), 5)).toBe(1);
    pool.release(b);
    expect(pool.usedBlocks).toBe(0);
  });

  it('refuses an allocation it cannot supply, holding nothing', () => {
    const pool = new KvBlockPool(3, 4);
    const a = pool.allocatePrompt([], 9)!;
    expect(pool.usedBlocks).toBe(3);
    expect(pool.allocatePrompt([], 1)).toBeUndefined();
    expect(pool.grow(a, 13)).toBe(false);
    expect(pool.usedBlocks).toBe(3);
    pool.release(a);
    pool.release(a);
    expect(pool.usedBlocks).toBe(0);
  });

  it('grows an allocation a block at a time as tokens are generated', () => {
    const pool = new KvBlockPool(8, 4);
    const a = pool.allocatePrompt([], 3)!;
    expect(a.blocks).toHaveLength(1);
    expect(pool.grow(a, 4)).toBe(true);
    expect(a.blocks).toHaveLength(1);
    expect(pool.grow(a, 5)).toBe(true);
    expect(a.blocks).toHaveLength(2);
    expect(pool.usedBlocks).toBe(2);
  });

  it('counts cached blocks that are free again as free, and reuses them through the cache', () => {
    const pool = new KvBlockPool(3, 2);
    const p = tokens(5);
    const a = pool.allocatePrompt(hashBlocks(p, 2), 5)!;
    pool.register(a);
    pool.release(a);
    // All three blocks are free; two are cached. A prompt sharing the two cached blocks needs one more.
    const b = pool.allocatePrompt(hashBlocks(p, 2), 5)!;
    expect(b.cachedTokens).toBe(4);
    expect(pool.usedBlocks).toBe(3);
    pool.release(b);
    pool.reset();
    expect(pool.cachedBlocks).toBe(0);
    expect(pool.cachedPrefixBlocks(hashBlocks(p, 2), 5)).toBe(0);
  });
});

/**
 * The mock engine's KV cache: a fixed pool of blocks, reference-counted by the requests that hold them,
 * with automatic prefix caching in the manner of vLLM.
 *
 * - A prompt is cut into blocks of `blockSize` tokens. Each full block gets a hash chained to the hash of
 *   the block before it, so equal hashes mean equal prefixes, not just equal blocks.
 * - When a prompt's blocks are computed (at the end of prefill) they are registered under their hashes.
 *   A later prompt that starts with the same blocks shares them: those tokens are cached, not recomputed.
 * - A block no request holds is free. A free block that still has a hash stays cached until it is
 *   evicted, least recently released first, when a request needs a fresh block. So the cache is an LRU
 *   bounded by the pool size, and "used" counts only blocks that running requests hold.
 * - Like vLLM, a hit never covers the prompt's last token (the engine must compute at least one token to
 *   produce logits), so a prompt of exactly N full blocks can hit at most N - 1 of them.
 */
import { createHash } from 'node:crypto';

/** Chained hashes of the full blocks of a tokenized prompt. */
export function hashBlocks(tokens: readonly string[], blockSize: number): string[] {
  const hashes: string[] = [];
  let parent = '';
  for (let end = blockSize; end <= tokens.length; end += blockSize) {
    const h = createHash('sha256');
    h.update(parent);
    for (let i = end - blockSize; i < end; i++) h.update(`\u0000${tokens[i]}`);
    parent = h.digest('hex').slice(0, 32);
    hashes.push(parent);
  }
  return hashes;
}

/** The blocks one request holds, in order; the first `hashes.length` may be registered in the cache. */
export interface KvAllocation {
  readonly blocks: number[];
  readonly hashes: readonly string[];
  /** Prompt tokens found in the cache at allocation. */
  readonly cachedTokens: number;
  released: boolean;
}

export class KvBlockPool {
  readonly #refs: Int32Array;
  readonly #hashOf: (string | undefined)[];
  readonly #byHash = new Map<string, number>();
  /** Free blocks without a hash, used first. */
  readonly #plain: number[] = [];
  /** Free blocks that keep a hash, oldest release first (a Map keeps insertion order). */
  readonly #evictable = new Map<number, true>();

  constructor(
    readonly totalBlocks: number,
    readonly blockSize: number,
  ) {
    this.#refs = new Int32Array(totalBlocks);
    this.#hashOf = new Array(totalBlocks).fill(undefined);
    for (let b = totalBlocks - 1; b >= 0; b--) this.#plain.push(b);
  }

  /** Blocks that running requests hold. */
  get usedBlocks(): number {
    return this.totalBlocks - this.#plain.length - this.#evictable.size;
  }

  /** Blocks registered in the prefix cache, held or not. */
  get cachedBlocks(): number {
    return this.#byHash.size;
  }

  /** Blocks needed to hold `tokens` tokens. */
  blocksFor(tokens: number): number {
    return Math.ceil(tokens / this.blockSize);
  }

  /** How many leading blocks of `hashes` the cache holds, never covering the last of `promptTokens`. */
  cachedPrefixBlocks(hashes: readonly string[], promptTokens: number): number {
    const limit = Math.min(hashes.length, Math.floor((promptTokens - 1) / this.blockSize));
    let n = 0;
    while (n < limit && this.#byHash.has(hashes[n]!)) n++;
    return n;
  }

  /**
   * Allocates the blocks of a prompt of `promptTokens` tokens: the cached prefix is shared, the rest
   * taken fresh. Returns `undefined` (holding nothing) when the pool cannot supply them.
   */
  allocatePrompt(hashes: readonly string[], promptTokens: number): KvAllocation | undefined {
    const hits = this.cachedPrefixBlocks(hashes, promptTokens);
    const needed = this.blocksFor(promptTokens);
    let hitsThatAreFree = 0;
    for (let i = 0; i < hits; i++) if (this.#refs[this.#byHash.get(hashes[i]!)!] === 0) hitsThatAreFree++;
    const free = this.#plain.length + this.#evictable.size - hitsThatAreFree;
    if (needed - hits > free) return undefined;
    const blocks: number[] = [];
    for (let i = 0; i < hits; i++) {
      const b = this.#byHash.get(hashes[i]!)!;
      if (this.#refs[b] === 0) this.#evictable.delete(b);
      this.#refs[b]++;
      blocks.push(b);
    }
    for (let i = hits; i < needed; i++) blocks.push(this.#takeFresh()!);
    return { blocks, hashes, cachedTokens: hits * this.blockSize, released: false };
  }

  /** Makes sure `alloc` holds enough blocks for `tokens` tokens; `false` if the pool ran out. */
  grow(alloc: KvAllocation, tokens: number): boolean {
    while (alloc.blocks.length < this.blocksFor(tokens)) {
      const b = this.#takeFresh();
      if (b === undefined) return false;
      alloc.blocks.push(b);
    }
    return true;
  }

  /**
   * Registers the allocation's full prompt blocks in the prefix cache (call once they are computed). A
   * hash another request registered first keeps its block; this request's copy stays anonymous.
   */
  register(alloc: KvAllocation): void {
    if (alloc.released) return;
    for (let i = 0; i < alloc.hashes.length; i++) {
      const b = alloc.blocks[i]!;
      const h = alloc.hashes[i]!;
      if (this.#hashOf[b] === undefined && !this.#byHash.has(h)) {
        this.#hashOf[b] = h;
        this.#byHash.set(h, b);
      }
    }
  }

  /**
   * Returns the allocation's blocks, last block first, so that when evicted later the tail of a cached
   * prefix goes before its head. Idempotent.
   */
  release(alloc: KvAllocation): void {
    if (alloc.released) return;
    alloc.released = true;
    for (let i = alloc.blocks.length - 1; i >= 0; i--) {
      const b = alloc.blocks[i]!;
      if (--this.#refs[b] > 0) continue;
      if (this.#hashOf[b] === undefined) this.#plain.push(b);
      else this.#evictable.set(b, true);
    }
    alloc.blocks.length = 0;
  }

  /** Empties the prefix cache (held blocks stay held, but lose their hashes). */
  reset(): void {
    for (const b of this.#evictable.keys()) this.#plain.push(b);
    this.#evictable.clear();
    this.#byHash.clear();
    this.#hashOf.fill(undefined);
  }

  #takeFresh(): number | undefined {
    let b = this.#plain.pop();
    if (b === undefined) {
      const oldest = this.#evictable.keys().next();
      if (oldest.done) return undefined;
      b = oldest.value;
      this.#evictable.delete(b);
      this.#byHash.delete(this.#hashOf[b]!);
      this.#hashOf[b] = undefined;
    }
    this.#refs[b] = 1;
    return b;
  }
}

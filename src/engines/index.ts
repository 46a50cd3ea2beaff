export * from './clock.js';
export * from './errors.js';
export { hashBlocks, type KvAllocation, KvBlockPool } from './kv-cache.js';
export * from './mock-engine.js';
export * from './mock-options.js';
export * from './mock-server.js';
export * from './mock-server-cli.js';
export { MOCK_VOCABULARY } from './mock-text.js';
export { countTokens, tokenize } from './tokenizer.js';
export * from './types.js';
export * from './upstream-accounting.js';
export * from './upstream-engine.js';
export {
  sendUpstream,
  UpstreamAbortedError,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-http.js';
export * from './vllm-metrics.js';

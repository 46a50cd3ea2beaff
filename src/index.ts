export * from './core/index.js';
export * from './engine/index.js';
export * from './engines/index.js';
export * from './expfmt/index.js';
export * from './http/index.js';
export * from './names/index.js';
export * from './runtime/index.js';
export * from './util/logger.js';

export * from './core/index.js';
export * from './expfmt/index.js';
export * from './names/index.js';
export * from './query/index.js';

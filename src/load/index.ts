export * from './generator.js';
export * from './progress.js';
export * from './stats.js';

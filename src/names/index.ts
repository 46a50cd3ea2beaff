export * from './component.js';
export * from './frontend.js';
export * from './labels.js';
export * from './prefixes.js';
export * from './sanitize.js';
export * from './self.js';
export * from './subsystems.js';

export * from './announce.js';
export * from './config.js';
export * from './errors.js';
export * from './frontend.js';
export * from './metrics.js';
export * from './model-registry.js';
export * from './request-guard.js';
export * from './response-collector.js';

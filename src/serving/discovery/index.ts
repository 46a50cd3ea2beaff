export * from './file-discovery.js';
export * from './http-sd.js';
export * from './static-discovery.js';
export * from './types.js';

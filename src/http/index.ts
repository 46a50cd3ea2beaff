export * from './accept-encoding.js';
export * from './http-sd-endpoint.js';
export * from './metrics-endpoint.js';
export * from './router.js';
export * from './system-status-server.js';

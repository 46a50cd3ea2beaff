export * from './protocol.js';
export * from './request.js';
export * from './response.js';
export * from './sse.js';

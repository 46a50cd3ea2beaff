export * from './options.js';
export * from './register.js';
export * from './sources.js';
export { injectLabels, nameRule, transformFamilies } from './transform.js';

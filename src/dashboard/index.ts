export { ModuleResolutionError } from './module-graph.js';
export { type Dashboard, type DashboardOptions, startDashboard } from './server.js';

/**
 * Every suite `npm run bench` knows, in the order they run. Add a suite by implementing `Suite` in its own
 * file and listing it here; `run.ts` needs no change.
 */
import type { Suite } from '../suite.js';
import { engineSuite } from './engine.js';
import { frontendSuite } from './frontend.js';
import { memorySuite } from './memory.js';
import { recordSuite } from './record.js';
import { runtimeSuite } from './runtime.js';
import { scrapeSuite } from './scrape.js';

export const SUITES: readonly Suite[] = [
  recordSuite,
  scrapeSuite,
  memorySuite,
  runtimeSuite,
  engineSuite,
  frontendSuite,
];

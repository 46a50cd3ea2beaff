export { type LintOptions, type LintReport, lintFamilies, parseForLint } from './lint.js';
export { compareProblems, type Problem, problemSubject, type RuleGroup } from './problem.js';
export { type Exposition, ExpositionSourceError, readExposition } from './source.js';

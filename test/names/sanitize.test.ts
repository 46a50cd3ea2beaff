import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynametricsError, InvalidNameError } from '../../src/core/errors.js';
import {
  buildComponentMetricName,
  SanitizeError,
  sanitizeFrontendPrometheusPrefix,
  sanitizePrometheusLabel,
  sanitizePrometheusName,
} from '../../src/names/sanitize.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const EMPTY_NAME = 'Cannot sanitize empty string into valid Prometheus name';
const EMPTY_LABEL = 'Cannot sanitize empty string into valid Prometheus label';
const onlyInvalidName = (raw: string) =>
  `Input '${raw}' contains only invalid characters and cannot be sanitized into a valid Prometheus name`;
const onlyInvalidLabel = (raw: string) =>
  `Input '${raw}' contains only invalid characters and cannot be sanitized into a valid Prometheus label`;

/** Runs `fn` and returns what it threw, failing the test when it did not throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** Code points, so that an astral character counts as one. */
const codePoints = (s: string) => [...s];

/**
 * Strings that reach every branch often: ASCII letters and digits, `_` and `:` (runs of underscores matter
 * to the label rule), punctuation, a non-ASCII letter, an astral emoji and a lone surrogate.
 */
const interestingString = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '7', '_', '_', '_', ':', '-', '.', '@', ' ', 'é', '🚀', '\ud800'),
  maxLength: 12,
});
/** Any string, full Unicode including astral characters and lone surrogates. */
const anyString = fc.oneof(
  interestingString,
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ maxLength: 24 }),
);

describe('sanitizePrometheusName', () => {
  it.each([
    ['valid_name', 'valid_name'],
    ['test123', 'test123'],
    ['test name', 'test_name'],
    ['test.name', 'test_name'],
    ['test-name', 'test_name'],
    ['test$name#123', 'test_name_123'],
    ['test:name', 'test:name'],
    ['test__name', 'test__name'],
    ['123test', '_123test'],
    ['@test', '_test'],
    ['-test', '_test'],
    ['123.test-name@domain', '_123_test_name_domain'],
    ['__test', '__test'],
  ])('turns %j into %j (spec §4.3)', (raw, expected) => {
    expect(sanitizePrometheusName(raw)).toBe(expected);
  });

  it('treats a leading colon as an invalid first character and prepends an underscore', () => {
    expect(sanitizePrometheusName(':test')).toBe('_:test');
  });

  it('rejects the empty string with the reference message', () => {
    expect(() => sanitizePrometheusName('')).toThrow(new SanitizeError(EMPTY_NAME));
  });

  it.each(['@#$%', '!!!!', '_', '___', '🚀'])('rejects %j, which has only invalid characters', (raw) => {
    const error = thrown(() => sanitizePrometheusName(raw));
    expect(error).toBeInstanceOf(SanitizeError);
    expect((error as Error).message).toBe(onlyInvalidName(raw));
  });

  it('replaces an astral character with a single underscore', () => {
    expect(sanitizePrometheusName('a🚀b')).toBe('a_b');
    expect(sanitizePrometheusName('🚀rocket')).toBe('_rocket');
    expect(sanitizePrometheusName('x\ud800y')).toBe('x_y');
  });

  it('returns a valid metric name, or throws the reference error exactly when nothing valid is left', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const hopeless = raw === '' || codePoints(raw).every((c) => !/^[a-zA-Z0-9:]$/.test(c));
        if (hopeless) {
          const error = thrown(() => sanitizePrometheusName(raw));
          expect(error).toBeInstanceOf(SanitizeError);
          expect((error as Error).message).toBe(raw === '' ? EMPTY_NAME : onlyInvalidName(raw));
        } else {
          expect(sanitizePrometheusName(raw)).toMatch(METRIC_NAME);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('maps each code point to one character, plus one leading underscore when the start is invalid', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        fc.pre(codePoints(raw).some((c) => /^[a-zA-Z0-9:]$/.test(c)));
        const out = sanitizePrometheusName(raw);
        // Only a digit or a colon survives replacement as an invalid first character.
        const prefixed = /^[0-9:]$/.test(codePoints(raw)[0]);
        expect(out.length).toBe(codePoints(raw).length + (prefixed ? 1 : 0));
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        fc.pre(codePoints(raw).some((c) => /^[a-zA-Z0-9:]$/.test(c)));
        const once = sanitizePrometheusName(raw);
        expect(sanitizePrometheusName(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves every valid metric name unchanged, except one starting with a colon or made only of "_"', () => {
    fc.assert(
      fc.property(fc.stringMatching(METRIC_NAME), (name) => {
        fc.pre(!/^_+$/.test(name));
        expect(sanitizePrometheusName(name)).toBe(name.startsWith(':') ? `_${name}` : name);
      }),
    );
  });
});

describe('sanitizePrometheusLabel', () => {
  it.each([
    ['valid_label', 'valid_label'],
    ['test123', 'test123'],
    ['test:label', 'test_label'],
    ['test label', 'test_label'],
    ['test-label', 'test_label'],
    ['test$label#123', 'test_label_123'],
    ['test__label', 'test__label'],
    ['test____label', 'test____label'],
    [':test', '_test'],
    ['-test', '_test'],
    ['123test', '_123test'],
    ['__test', 'test'],
    ['@@123', '_123'],
    ['vllm-worker', 'vllm_worker'],
    ['123:test-label@domain', '_123_test_label_domain'],
  ])('turns %j into %j (spec §1.4, §4.3)', (raw, expected) => {
    expect(sanitizePrometheusLabel(raw)).toBe(expected);
  });

  it('rejects the empty string with the reference message', () => {
    expect(() => sanitizePrometheusLabel('')).toThrow(new SanitizeError(EMPTY_LABEL));
  });

  it.each(['____', '@#$%', '!!!!', '_', '🚀'])('rejects %j, which has only invalid characters', (raw) => {
    const error = thrown(() => sanitizePrometheusLabel(raw));
    expect(error).toBeInstanceOf(SanitizeError);
    expect((error as Error).message).toBe(onlyInvalidLabel(raw));
  });

  it('never leaves the reserved "__" prefix, even after a run of three or more underscores', () => {
    expect(sanitizePrometheusLabel('___a')).toBe('a');
    expect(sanitizePrometheusLabel('_____a')).toBe('a');
    expect(sanitizePrometheusLabel('___1')).toBe('_1');
    expect(sanitizePrometheusLabel('@@@x')).toBe('x');
  });

  it('keeps a single leading underscore, which is not reserved', () => {
    expect(sanitizePrometheusLabel('_a')).toBe('_a');
    expect(sanitizePrometheusLabel('_1')).toBe('_1');
  });

  it('replaces an astral character with a single underscore', () => {
    expect(sanitizePrometheusLabel('a🚀b')).toBe('a_b');
    expect(sanitizePrometheusLabel('🚀rocket')).toBe('_rocket');
    expect(sanitizePrometheusLabel('🚀🚀rocket')).toBe('rocket');
  });

  it('returns a valid, unreserved label name, or throws the reference error exactly when nothing valid is left', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const hopeless = raw === '' || codePoints(raw).every((c) => !/^[a-zA-Z0-9]$/.test(c));
        if (hopeless) {
          const error = thrown(() => sanitizePrometheusLabel(raw));
          expect(error).toBeInstanceOf(SanitizeError);
          expect((error as Error).message).toBe(raw === '' ? EMPTY_LABEL : onlyInvalidLabel(raw));
        } else {
          const out = sanitizePrometheusLabel(raw);
          expect(out).toMatch(LABEL_NAME);
          expect(out.startsWith('__')).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        fc.pre(codePoints(raw).some((c) => /^[a-zA-Z0-9]$/.test(c)));
        const once = sanitizePrometheusLabel(raw);
        expect(sanitizePrometheusLabel(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves every valid label name that does not start with "__" unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(LABEL_NAME), (name) => {
        fc.pre(!name.startsWith('__') && name !== '_');
        expect(sanitizePrometheusLabel(name)).toBe(name);
      }),
    );
  });
});

describe('SanitizeError', () => {
  it('is an InvalidNameError and a DynametricsError, so callers can catch it by class', () => {
    const error = thrown(() => sanitizePrometheusName(''));
    expect(error).toBeInstanceOf(SanitizeError);
    expect(error).toBeInstanceOf(InvalidNameError);
    expect(error).toBeInstanceOf(DynametricsError);
    expect((error as Error).name).toBe('SanitizeError');
  });
});

describe('buildComponentMetricName', () => {
  it.each([
    ['requests', 'dynamo_component_requests'],
    ['requests_total', 'dynamo_component_requests_total'],
    ['test_metric', 'dynamo_component_test_metric'],
    ['test metric', 'dynamo_component_test_metric'],
    ['test.metric', 'dynamo_component_test_metric'],
    ['test@metric', 'dynamo_component_test_metric'],
    ['123metric', 'dynamo_component__123metric'],
  ])('turns %j into %j (spec §4.4, §9.1)', (short, expected) => {
    expect(buildComponentMetricName(short)).toBe(expected);
  });

  it('fails on the empty string with the reference panic message and the cause', () => {
    const error = thrown(() => buildComponentMetricName(''));
    expect(error).toBeInstanceOf(SanitizeError);
    expect((error as Error).message).toBe(`metric name should be valid or sanitizable: ${EMPTY_NAME}`);
  });

  it('fails on "@#$%" with the reference panic message and the cause', () => {
    const error = thrown(() => buildComponentMetricName('@#$%'));
    expect(error).toBeInstanceOf(SanitizeError);
    expect((error as Error).message).toBe(
      `metric name should be valid or sanitizable: ${onlyInvalidName('@#$%')}`,
    );
  });

  it('is the component prefix plus the sanitized name for any input that can be sanitized', () => {
    fc.assert(
      fc.property(anyString, (short) => {
        let expected: string;
        try {
          expected = `dynamo_component_${sanitizePrometheusName(short)}`;
        } catch {
          expect(() => buildComponentMetricName(short)).toThrow(SanitizeError);
          return;
        }
        expect(buildComponentMetricName(short)).toBe(expected);
        expect(buildComponentMetricName(short)).toMatch(METRIC_NAME);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('sanitizeFrontendPrometheusPrefix', () => {
  it.each([
    ['dynamo_frontend', 'dynamo_frontend'],
    ['custom_prefix', 'custom_prefix'],
    ['test123', 'test123'],
    ['test prefix', 'test_prefix'],
    ['test.prefix', 'test_prefix'],
    ['test@prefix', 'test_prefix'],
    ['test-prefix', 'test_prefix'],
    ['123test', '_123test'],
    ['@test', '_test'],
    ['nv_llm_http_service', 'nv_llm_http_service'],
  ])('turns %j into %j (spec §4.5)', (raw, expected) => {
    expect(sanitizeFrontendPrometheusPrefix(raw)).toBe(expected);
  });

  it('falls back to dynamo_frontend when the value is empty or unset', () => {
    expect(sanitizeFrontendPrometheusPrefix('')).toBe('dynamo_frontend');
    expect(sanitizeFrontendPrometheusPrefix(undefined)).toBe('dynamo_frontend');
  });

  it('falls back to dynamo_frontend when the value cannot be sanitized', () => {
    expect(sanitizeFrontendPrometheusPrefix('@#$%')).toBe('dynamo_frontend');
    expect(sanitizeFrontendPrometheusPrefix('🚀')).toBe('dynamo_frontend');
  });

  it('never throws, always returns a valid metric name, and is idempotent', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const prefix = sanitizeFrontendPrometheusPrefix(raw);
        expect(prefix).toMatch(METRIC_NAME);
        expect(sanitizeFrontendPrometheusPrefix(prefix)).toBe(prefix);
      }),
      { numRuns: 2000 },
    );
  });
});

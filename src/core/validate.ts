/**
 * Name and value validation shared by every metric type. Prometheus 2.42 only accepts legacy names, so that
 * is what we accept; strings must be well-formed UTF-16 so that they encode to UTF-8 without replacement
 * characters (a lone surrogate would otherwise come back from a scrape as U+FFFD, a value nobody recorded).
 */
import { InvalidNameError, InvalidValueError, show } from './errors.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/** True when the string has no lone surrogate, i.e. it survives a round trip through UTF-8. */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

export function assertMetricName(name: unknown): string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new InvalidNameError(`invalid metric name ${show(name)}: must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  }
  return name;
}

/** Checks a label name for use on metric `metric`; names starting with `__` are reserved for Prometheus. */
export function assertLabelName(metric: string, name: unknown): string {
  if (typeof name !== 'string' || !LABEL_NAME.test(name)) {
    throw new InvalidNameError(
      `metric ${show(metric)}: invalid label name ${show(name)}: must match [a-zA-Z_][a-zA-Z0-9_]*`,
    );
  }
  if (name.startsWith('__')) {
    throw new InvalidNameError(
      `metric ${show(metric)}: label name ${show(name)} is reserved: names starting with "__" belong to Prometheus`,
    );
  }
  return name;
}

/** Checks a label value (or HELP text) for metric `metric`; `what` names the place in the message. */
export function assertText(metric: string, what: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidValueError(`metric ${show(metric)}: ${what} must be a string, got ${show(value)}`);
  }
  if (!isWellFormed(value)) {
    throw new InvalidValueError(
      `metric ${show(metric)}: ${what} ${show(value)} contains a lone UTF-16 surrogate and cannot be encoded as UTF-8`,
    );
  }
  return value;
}

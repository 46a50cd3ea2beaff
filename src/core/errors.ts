/**
 * Typed errors of the metrics core. Every message names the metric (or label) and the offending value so
 * that a log line alone tells what went wrong; callers can `instanceof` the class to react.
 */

/** Base class of every error dynametrics throws on purpose. */
export class DynametricsError extends Error {
  override name = 'DynametricsError';
}

/** A metric name, label name or label set that Prometheus would not accept, or that is reserved here. */
export class InvalidNameError extends DynametricsError {
  override name = 'InvalidNameError';
}

/** Options that cannot describe a metric: bad HELP, buckets, unit, limits, reserved labels. */
export class InvalidMetricOptionsError extends DynametricsError {
  override name = 'InvalidMetricOptionsError';
}

/** A value that the metric cannot record: negative counter increment, NaN, a non-integer on an Int type. */
export class InvalidValueError extends DynametricsError {
  override name = 'InvalidValueError';
}

/** Label values that do not match the family's label names in count or in names. */
export class LabelCardinalityError extends DynametricsError {
  override name = 'LabelCardinalityError';
}

/**
 * A metric with the same identity (name and const label values) is already registered. The existing
 * metric travels with the error, so callers can adopt it (get-or-create).
 */
export class AlreadyRegisteredError<M = unknown> extends DynametricsError {
  override name = 'AlreadyRegisteredError';
  constructor(
    message: string,
    readonly existing: M,
  ) {
    super(message);
  }
}

/** A registration whose type, HELP or label names disagree with a metric of the same name. */
export class RegistrationConflictError extends DynametricsError {
  override name = 'RegistrationConflictError';
}

/** Renders a value for an error message: strings quoted, everything else as JavaScript shows it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

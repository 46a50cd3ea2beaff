/**
 * Configuration errors of the engines. Request-time failures are {@link EngineError}s (they carry an HTTP
 * status for the caller); these are thrown when an engine or server is built with options it cannot use,
 * and name the option and the offending value.
 */
import { DynametricsError, show } from '../core/errors.js';

/** An option of the mock engine, the mock server or the upstream engine that cannot be used. */
export class EngineConfigError extends DynametricsError {
  override name = 'EngineConfigError';
  constructor(option: string, value: unknown, why: string) {
    super(`${option}: ${show(value)} ${why}`);
  }
}

/**
 * Number formatting exactly as Prometheus's Go client writes it, so our expositions match byte for byte.
 *
 * Go renders with `strconv.FormatFloat(v, 'g', -1, 64)`: the shortest digits that round-trip (the same
 * digits JavaScript picks), in exponent form when the decimal exponent is < -4 or >= 6 (JavaScript switches
 * only at 1e21 and 1e-7), with at least two exponent digits (`1e+06`, `9.976e-06`). 0, 1 and -1 and the
 * non-finite values are special-cased. OpenMetrics adds `.0` to integral results so floats stay floats.
 */

/** A value in the text format 0.0.4 (Go's `writeFloat`). */
export function formatFloat(value: number): string {
  if (value >= 1e-4 ? value < 1e6 : value <= -1e-4 && value > -1e6) return String(value);
  if (value === 0) return '0';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return exponentForm(value);
}

/** A float value in OpenMetrics (Go's `writeOpenMetricsFloat`): like {@link formatFloat}, but `1` is `1.0`. */
export function formatOpenMetricsFloat(value: number): string {
  const text = formatFloat(value);
  if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY)
    return text;
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/**
 * An integer count or Int metric value: plain digits, never an exponent or fraction. Non-integral input
 * (possible only from parsed text) falls back to the float form so no information is lost.
 */
export function formatInteger(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  if (Number.isInteger(value)) return BigInt(value).toString();
  return formatFloat(value);
}

/** The shortest round-trip digits in Go's `%e` layout: `d[.ddd]e±XX`. */
function exponentForm(value: number): string {
  const js = value.toExponential();
  const e = js.indexOf('e');
  const sign = js[e + 1];
  const digits = js.slice(e + 2);
  return `${js.slice(0, e)}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

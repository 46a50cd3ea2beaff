/**
 * Writes plain data (objects, arrays, strings, finite numbers, booleans, null) as block-style YAML that every
 * YAML reader agrees on: strings stay plain only when neither YAML 1.1 (Prometheus's and Kubernetes'
 * go-yaml) nor 1.2 could read them as anything else, and quoted otherwise (see {@link scalar}).
 */

type Scalar = string | number | boolean | null;

/** Strings that may be written without quotes. */
function plainSafe(s: string): boolean {
  return (
    s !== '' &&
    s === s.trim() &&
    // Letters or `/` first: never a number, date, indicator or special word.
    /^[A-Za-z_/$]/.test(s) &&
    !/^(y|n|yes|no|on|off|true|false|null)$/i.test(s) &&
    !/[\n\r\t\\]|: |:$| #/.test(s) &&
    // Control characters and anything beyond ASCII are quoted too.
    [...s].every((c) => c >= ' ' && c <= '~')
  );
}

function scalar(value: Scalar): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as YAML`);
    return String(value);
  }
  if (plainSafe(value)) return value;
  // Printable ASCII needs no escapes: double quotes if it holds none (the formatter's choice), else single
  // quotes (a quote is doubled), which keeps PromQL matchers readable. JSON escapes for anything else.
  if (/^[ -~]*$/.test(value) && !/["\\]/.test(value)) return `"${value}"`;
  if (/^[ -~]*$/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  return JSON.stringify(value);
}

function isScalar(value: unknown): value is Scalar {
  const t = typeof value;
  if (value === null || t === 'string' || t === 'number' || t === 'boolean') return true;
  if (t === 'object') return false;
  throw new Error(`cannot write a ${t} as YAML`);
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function lines(value: unknown, indent: string): string[] {
  if (isScalar(value)) return [`${indent}${scalar(value)}`];
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown) => {
      if (!isScalar(item) && !isEmpty(item)) {
        const inner = lines(item, `${indent}  `);
        return [`${indent}- ${inner[0].trimStart()}`, ...inner.slice(1)];
      }
      return [`${indent}- ${inline(item)}`];
    });
  }
  return Object.entries(value as object).flatMap(([key, item]) => {
    const k = scalar(key);
    if (!isScalar(item) && !isEmpty(item)) {
      return [`${indent}${k}:`, ...lines(item, `${indent}  `)];
    }
    return [`${indent}${k}: ${inline(item)}`];
  });
}

function inline(value: unknown): string {
  if (isScalar(value)) return scalar(value);
  return Array.isArray(value) ? '[]' : '{}';
}

/** `value` as a YAML document, after an optional comment header. */
export function toYaml(value: object, header: readonly string[] = []): string {
  return [...header.map((l) => (l === '' ? '#' : `# ${l}`)), ...lines(value, '')].join('\n') + '\n';
}

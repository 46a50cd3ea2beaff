/**
 * Escaping of text in expositions. The two formats differ only in HELP: OpenMetrics escapes `"` there,
 * the text format 0.0.4 must not (promtool rejects `\"` in a 0.0.4 HELP). Label values escape `\`, newline
 * and `"` in both; every other character, tabs and control characters included, is written raw.
 * Reading undoes exactly those escapes and keeps any other backslash as written, as Prometheus does.
 */

const LABEL_SPECIAL = /[\\\n"]/;
const HELP_SPECIAL = /[\\\n]/;
const HELP_OM_SPECIAL = /[\\\n"]/;

export function escapeLabelValue(value: string): string {
  if (value.length < 32) {
    // A plain loop beats a regex on the short values most labels hold.
    let clean = true;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 0x5c || c === 0x0a || c === 0x22) {
        clean = false;
        break;
      }
    }
    if (clean) return value;
  } else if (!LABEL_SPECIAL.test(value)) {
    return value;
  }
  return value.replace(/[\\\n"]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\"'));
}

/** HELP text of the text format 0.0.4. */
export function escapeHelp(text: string): string {
  if (!HELP_SPECIAL.test(text)) return text;
  return text.replace(/[\\\n]/g, (c) => (c === '\\' ? '\\\\' : '\\n'));
}

/** HELP text of OpenMetrics. */
export function escapeOpenMetricsHelp(text: string): string {
  return HELP_OM_SPECIAL.test(text) ? escapeLabelValue(text) : text;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;

/**
 * Undoes the escapes of a label value or HELP text; `quote` says whether `\"` is an escape (label values
 * and OpenMetrics HELP) or stays as written (text-format HELP). Like Go's `strings.Replacer` that
 * Prometheus uses, an unknown escape such as `\t` stays as written: a backslash and the character.
 */
export function unescapeText(text: string, quote: boolean): string {
  let at = text.indexOf('\\');
  if (at < 0) return text;
  let out = '';
  let from = 0;
  while (at >= 0 && at + 1 < text.length) {
    const next = text.charCodeAt(at + 1);
    const replacement =
      next === BACKSLASH ? '\\' : next === 0x6e ? '\n' : next === QUOTE && quote ? '"' : undefined;
    if (replacement === undefined) {
      at = text.indexOf('\\', at + 1);
      continue;
    }
    out += text.slice(from, at) + replacement;
    from = at + 2;
    at = text.indexOf('\\', from);
  }
  return out + text.slice(from);
}

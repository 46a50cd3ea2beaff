/**
 * Escaping of text in expositions. The two formats differ only in HELP: OpenMetrics escapes `"` there,
 * the text format 0.0.4 must not (promtool rejects `\"` in a 0.0.4 HELP). Label values escape `\`, newline
 * and `"` in both; every other character, tabs and control characters included, is written raw.
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

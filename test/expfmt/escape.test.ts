import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, escapeOpenMetricsHelp } from '../../src/expfmt/escape.js';

/** Undoes `\\`, `\n` and (when `quote`) `\"`; any other backslash would be a writer bug, so it throws. */
function undoEscapes(text: string, quote: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === '"' && quote) out += '"';
    else throw new Error(`stray escape \\${next} in ${JSON.stringify(text)}`);
  }
  return out;
}

/** True when `text` has a `"` not preceded by an odd run of backslashes, i.e. one that would end a value. */
function hasBareQuote(text: string): boolean {
  return /(^|[^\\])(\\\\)*"/.test(text);
}

/** Strings dense in the characters that matter, crossing the 32-character fast-path boundary. */
const trickyString = fc.string({
  unit: fc.constantFrom(
    'a',
    ' ',
    '\\',
    '\n',
    '"',
    '\t',
    '\r',
    '\0',
    '\u2028',
    'é',
    '🚀',
    '\ud800',
    '{',
    '}',
    '=',
  ),
  maxLength: 80,
});
const anyString = fc.oneof(trickyString, fc.string({ unit: 'binary', maxLength: 80 }));

describe('escapeLabelValue (0.0.4 and OpenMetrics alike)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['back\\slash', 'back\\\\slash'],
    ['new\nline', 'new\\nline'],
    ['say "hi"', 'say \\"hi\\"'],
    ['\\n', '\\\\n'],
    ['\\"', '\\\\\\"'],
    ['tab\there', 'tab\there'],
    ['cr\rhere', 'cr\rhere'],
    ['nul\0here', 'nul\0here'],
    ['é 🚀 \u2028', 'é 🚀 \u2028'],
    ['{a="b"}', '{a=\\"b\\"}'],
  ])('escapes %j as %j', (value, escaped) => {
    expect(escapeLabelValue(value)).toBe(escaped);
  });

  it('escapes long values the same way as short ones', () => {
    const long = `${'x'.repeat(40)}\\ "\n`;
    expect(escapeLabelValue(long)).toBe(`${'x'.repeat(40)}\\\\ \\"\\n`);
    expect(escapeLabelValue('y'.repeat(100))).toBe('y'.repeat(100));
  });

  it('can always be undone, never leaves a raw newline and never leaves a quote that would end the value', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const escaped = escapeLabelValue(value);
        expect(undoEscapes(escaped, true)).toBe(value);
        expect(escaped).not.toContain('\n');
        expect(hasBareQuote(escaped)).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('returns the very same string when there is nothing to escape', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        fc.pre(!/[\\\n"]/.test(value));
        expect(escapeLabelValue(value)).toBe(value);
      }),
    );
  });
});

describe('escapeHelp (text format 0.0.4)', () => {
  it.each([
    ['Total requests.', 'Total requests.'],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two\\nlines'],
    ['a "quoted" word', 'a "quoted" word'],
    ['tab\tand cr\r', 'tab\tand cr\r'],
    ['\\"', '\\\\"'],
  ])('escapes %j as %j, leaving double quotes alone', (help, escaped) => {
    expect(escapeHelp(help)).toBe(escaped);
  });

  it('never produces \\" (promtool rejects it in 0.0.4 HELP) and can always be undone', () => {
    fc.assert(
      fc.property(anyString, (help) => {
        const escaped = escapeHelp(help);
        expect(undoEscapes(escaped, false)).toBe(help);
        expect(escaped).not.toContain('\n');
      }),
      { numRuns: 5000 },
    );
  });
});

describe('escapeOpenMetricsHelp', () => {
  it.each([
    ['Total requests.', 'Total requests.'],
    ['back\\slash', 'back\\\\slash'],
    ['two\nlines', 'two\\nlines'],
    ['a "quoted" word', 'a \\"quoted\\" word'],
    ['tab\tand cr\r', 'tab\tand cr\r'],
  ])('escapes %j as %j, double quotes included', (help, escaped) => {
    expect(escapeOpenMetricsHelp(help)).toBe(escaped);
  });

  it('escapes exactly like a label value', () => {
    fc.assert(
      fc.property(anyString, (help) => {
        expect(escapeOpenMetricsHelp(help)).toBe(escapeLabelValue(help));
      }),
      { numRuns: 2000 },
    );
  });

  it('differs from the 0.0.4 HELP only in double quotes', () => {
    fc.assert(
      fc.property(anyString, (help) => {
        expect(escapeOpenMetricsHelp(help)).toBe(escapeHelp(help).replaceAll('"', '\\"'));
      }),
      { numRuns: 2000 },
    );
  });
});

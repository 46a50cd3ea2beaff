/**
 * Label matchers (`=`, `!=`, `=~`, `!~`) with Prometheus's semantics: a missing label has the value `''`,
 * and regular expressions are fully anchored (`^(?:re)$`).
 *
 * Prometheus uses Go's RE2 syntax; we compile with JavaScript's engine after translating what differs and
 * matters for label values: leading inline flags (`(?i)`, `(?s)`, `(?m)`), `\A`/`\z`, `\Q…\E` and POSIX
 * classes such as `[[:digit:]]`. Perl features RE2 rejects (lookaround, backreferences) are rejected with
 * RE2's message, so a query valid here is valid in Prometheus too.
 */

export type MatchType = '=' | '!=' | '=~' | '!~';

/** A regular expression that does not compile; the message follows Go's `error parsing regexp: …`. */
export class RegexCompileError extends Error {
  override name = 'RegexCompileError';
}

export class LabelMatcher {
  readonly #regex: RegExp | undefined;

  constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
  ) {
    this.#regex = type === '=~' || type === '!~' ? compileAnchored(value) : undefined;
  }

  /** True when a series whose label `name` has value `v` (`''` when absent) is selected. */
  matches(v: string): boolean {
    switch (this.type) {
      case '=':
        return v === this.value;
      case '!=':
        return v !== this.value;
      case '=~':
        return this.#regex!.test(v);
      default:
        return !this.#regex!.test(v);
    }
  }

  /** Prometheus's text form, e.g. `job=~"api.*"`. */
  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Translates the RE2 constructs JavaScript lacks; throws {@link RegexCompileError} for unsupported ones. */
function translate(re: string): { source: string; flags: string } {
  let flags = '';
  let source = re;
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead !== null) {
    if (lead[1].includes('U')) throw new RegexCompileError(`invalid or unsupported Perl syntax: \`(?U\``);
    flags = [...new Set(lead[1])].join('');
    source = source.slice(lead[0].length);
  }
  source = source.replace(/\(\?P</g, '(?<');
  const perl = /\(\?(?:=|!|<=|<!)|\\[1-9]|\(\?[a-zA-Z-]+[:)]/.exec(source);
  if (perl !== null) {
    throw new RegexCompileError(`invalid or unsupported Perl syntax: \`${perl[0]}\``);
  }
  source = source
    .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, lit: string) => escapeLiteral(lit))
    .replace(/\\([pP])([A-Z])/g, '\\$1{$2}') // RE2's one-letter Unicode classes, \pL → \p{L}
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, neg: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      if (cls === undefined) throw new RegexCompileError(`invalid character class range: \`${whole}\``);
      if (neg !== '') throw new RegexCompileError(`negated POSIX classes are not supported: \`${whole}\``);
      return cls;
    });
  return { source, flags };
}

/** Compiles `re` anchored at both ends, as Prometheus does. */
export function compileAnchored(re: string): RegExp {
  const { source, flags } = translate(re);
  const anchored = `^(?:${source})$`;
  try {
    return new RegExp(anchored, `${flags}u`);
  } catch {
    try {
      return new RegExp(anchored, flags);
    } catch (e) {
      // V8 says "Invalid regular expression: /re/: reason"; Go says "reason: `re`".
      const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      throw new RegexCompileError(`${reason.charAt(0).toLowerCase()}${reason.slice(1)}: \`${anchored}\``);
    }
  }
}

/**
 * Parse and type errors, with the exact messages and positions Prometheus 2.42 returns for the same
 * queries (collected from a real 2.42 server), and the "not supported" errors of this engine.
 */
import { describe, expect, it } from 'vitest';
import { NotSupportedError, PromQLParseError } from '../../src/query/errors.js';
import { parsePromQL } from '../../src/query/promql/parser.js';

const PROMETHEUS_ERRORS: [string, string][] = [
  ['foo(', '1:5: parse error: unclosed left parenthesis'],
  ['foo(x)', '1:1: parse error: unknown function with name "foo"'],
  ['rate(x)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
  ['rate(x[5m], 1)', '1:1: parse error: expected 1 argument(s) in call to "rate", got 2'],
  [
    'sum(x[5m])',
    '1:5: parse error: expected type instant vector in aggregation expression, got range vector',
  ],
  ['x[5m] + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
  ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{a!~"b"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  ['{a=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
  [
    'histogram_quantile(0.5)',
    '1:1: parse error: expected 2 argument(s) in call to "histogram_quantile", got 1',
  ],
  ['topk(x, x)', '1:6: parse error: expected type scalar in aggregation parameter, got instant vector'],
  ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
  ['1 and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
  ['x + on(a) group_left(a) y', '1:3: parse error: label "a" must not occur in ON and GROUP clause at once'],
  ['x and on(a) group_left y', '1:1: parse error: no grouping allowed for "and" operation'],
  [
    '-x[5m]',
    '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
  ],
  [
    '(x) offset 5m',
    '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  [
    'sum by (a) (x) offset 1m',
    '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  [
    'abs(x) offset 1m',
    '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
  ],
  ['rate(x[5m]) [5m]', '1:13: parse error: ranges only allowed for vector selectors'],
  ['(x)[5m]', '1:4: parse error: ranges only allowed for vector selectors'],
  ['x{a="b"', '1:8: parse error: unexpected end of input inside braces'],
  ['x{a="b"}}', "1:9: parse error: unexpected character: '}'"],
  ['1 +', '1:4: parse error: unexpected end of input'],
  ['x{__name__="y"}', '1:1: parse error: metric name must not be set twice: "x" or "y"'],
  ['rate(x[0s])', '1:8: parse error: duration must be greater than 0'],
  ['x offset 0s', '1:10: parse error: duration must be greater than 0'],
  ['x[1x]', '1:3: parse error: bad duration syntax: "1"'],
  ['x[5]', '1:3: parse error: missing unit character in duration'],
  ['x[1s1m]', '1:3: parse error: not a valid duration string: "1s1m"'],
  ['x + bool 1', '1:3: parse error: bool modifier can only be used on comparison operators'],
  ['time() + bool 1', '1:8: parse error: bool modifier can only be used on comparison operators'],
  ['sum()', '1:1: parse error: no arguments for aggregate expression provided'],
  ['x offset 1m [5m]', '1:13: parse error: no offset modifiers allowed before range'],
  ['rate(x[5m]) * 5m', '1:15: parse error: unexpected duration "5m"'],
  ['1_000', '1:1: parse error: bad number or duration syntax: "1"'],
  ['0x1p3', '1:1: parse error: bad number or duration syntax: "0x1"'],
  ['1e', '1:1: parse error: error parsing number: strconv.ParseFloat: parsing "1e": invalid syntax'],
  ['sum by (a) (x) by (b)', '1:16: parse error: unexpected <by>'],
  ['foo bar', '1:5: parse error: unexpected identifier "bar"'],
  ['x y z', '1:3: parse error: unexpected identifier "y"'],
  ['x{\'a\'="b"}', `1:3: parse error: unexpected string "'a'" in label matching, expected identifier or "}"`],
  ['x{a}', '1:4: parse error: unexpected "}" in label matching, expected label matching operator'],
  ['x{a=}', '1:5: parse error: unexpected "}" in label matching, expected string'],
  ['x{a="b",,}', '1:9: parse error: unexpected "," in label matching, expected identifier or "}"'],
  ['x{a="\\q"}', "1:5: parse error: unknown escape sequence U+0071 'q'"],
  ['"abc', '1:1: parse error: unterminated quoted string'],
  ['x[5m] offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
  ['1 + on(a) x', '1:1: parse error: vector matching only allowed between instant vectors'],
  ['x{a="b"} offset', '1:16: parse error: unexpected end of input in offset, expected duration'],
  ['sum(x) by', '1:10: parse error: unexpected end of input in grouping opts, expected "("'],
  ['rate(x[5m]', '1:11: parse error: unclosed left parenthesis'],
  ['x]', "1:2: parse error: unexpected right bracket ']'"],
  ['[5m]', '1:1: parse error: unexpected "["'],
  ['x[5m', '1:5: parse error: unclosed left bracket'],
  ['sum(x,)', '1:6: parse error: trailing commas not allowed in function call args'],
  ['* x', '1:1: parse error: unexpected <op:*>'],
  ['1(', '1:2: parse error: unexpected "("'],
  ['abs()', '1:1: parse error: expected 1 argument(s) in call to "abs", got 0'],
  ['abs(1)', '1:5: parse error: expected type instant vector in call to function "abs", got scalar'],
  ['vector(x)', '1:8: parse error: expected type scalar in call to function "vector", got instant vector'],
  ['scalar(1)', '1:8: parse error: expected type instant vector in call to function "scalar", got scalar'],
  ['sum(1)', '1:5: parse error: expected type instant vector in aggregation expression, got scalar'],
  ['topk(1, 1)', '1:9: parse error: expected type instant vector in aggregation expression, got scalar'],
  [
    'histogram_quantile("a", x)',
    '1:20: parse error: expected type scalar in call to function "histogram_quantile", got string',
  ],
  ['time(1)', '1:1: parse error: expected 0 argument(s) in call to "time", got 1'],
  [
    'avg_over_time(x)',
    '1:15: parse error: expected type range vector in call to function "avg_over_time", got instant vector',
  ],
  ['', '1:1: parse error: no expression found in input'],
];

describe('parse errors match Prometheus 2.42', () => {
  for (const [query, message] of PROMETHEUS_ERRORS) {
    it(`${JSON.stringify(query)} → ${message}`, () => {
      expect(() => parsePromQL(query)).toThrow(PromQLParseError);
      expect(() => parsePromQL(query)).toThrow(message);
    });
  }
});

describe('the parser', () => {
  it('applies ^ before a leading minus, as Prometheus does (-2^2 is -4)', () => {
    const e = parsePromQL('-2^2');
    expect(e.kind).toBe('unary');
  });

  it('reads numbers as Go does: hex, octal, Inf and NaN in any case', () => {
    const value = (q: string) => {
      const e = parsePromQL(q);
      return e.kind === 'number' ? e.value : undefined;
    };
    expect(value('0x1f')).toBe(31);
    expect(value('010')).toBe(8);
    expect(value('1.5e3')).toBe(1500);
    expect(value('.5')).toBe(0.5);
    expect(value('inf')).toBe(Number.POSITIVE_INFINITY);
    expect(value('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(value('nAn')).toBeNaN();
    expect(Object.is(value('-0'), -0)).toBe(true);
  });

  it('unquotes Go string escapes and raw strings', () => {
    const e = parsePromQL('a{b="\\x41\\u0042\\101\\n", c=`\\n`}');
    expect(e.kind === 'vector' && e.matchers.map((m) => m.value)).toEqual(['AB' + 'A\n', '\\n', 'a']);
  });

  it('accepts trailing commas in braces and empty grouping, negative offsets and comments', () => {
    for (const q of [
      'x{a="b",}',
      'sum without() (x)',
      'x offset -5m',
      'a # comment',
      'rate((x[5m]))',
      'x == bool on(a) y',
    ]) {
      expect(() => parsePromQL(q)).not.toThrow();
    }
  });

  it('names what it does not support', () => {
    const cases: [string, string][] = [
      ['predict_linear(x[5m], 1)', 'function "predict_linear"'],
      ['label_replace(x, "a", "b", "c", "d")', 'function "label_replace"'],
      ['quantile(0.5, x)', 'aggregation "quantile"'],
      ['count_values("x", y)', 'aggregation "count_values"'],
      ['rate(x[5m:1m])', 'subquery syntax'],
      ['x @ 100', 'the @ modifier'],
    ];
    for (const [q, feature] of cases) {
      expect(() => parsePromQL(q)).toThrow(NotSupportedError);
      expect(() => parsePromQL(q)).toThrow(`not supported: ${feature}`);
    }
  });

  it('rejects regular expressions that do not compile, and Perl syntax RE2 lacks', () => {
    expect(() => parsePromQL('x{a=~"("}')).toThrow('1:3: parse error: error parsing regexp:');
    expect(() => parsePromQL('x{a=~"(?=a)"}')).toThrow('invalid or unsupported Perl syntax: `(?=`');
    expect(() => parsePromQL('x{a=~"(?i)abc"}')).not.toThrow();
  });
});

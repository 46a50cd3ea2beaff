/**
 * Syntax error messages in Prometheus's words.
 *
 * The grammar package recovers from errors and marks where it gave up, but says nothing about why. This
 * module re-lexes the query the way Prometheus 2.42's lexer does, to report lexer-level problems where
 * Prometheus reports them (unbalanced parentheses, braces and brackets, stray characters, bad numbers,
 * unterminated strings), and otherwise describes the token at the grammar's error position as Prometheus's
 * parser does (`unexpected identifier "bar"`, `unexpected <by>`, `unexpected end of input`).
 */

export interface SyntaxProblem {
  readonly pos: number;
  readonly message: string;
}

type TokenKind =
  | 'identifier'
  | 'metric identifier'
  | 'keyword'
  | 'aggregator'
  | 'operator'
  | 'number'
  | 'duration'
  | 'string'
  | 'punct';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
  /** Lexed between `{` and `}`. */
  readonly braces: boolean;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool']);
const AGGREGATORS = new Set([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
]);
const WORD_OPERATORS = new Set(['and', 'or', 'unless', 'atan2']);
const OPERATORS = ['==', '!=', '=~', '!~', '<=', '>=', '<', '>', '=', '+', '-', '*', '/', '%', '^', '@'];

interface Lexed {
  readonly tokens: Token[];
  readonly problem: SyntaxProblem | undefined;
}

/** Tokenises like Prometheus's lexer, stopping at the first lexer error. */
function lex(q: string): Lexed {
  const tokens: Token[] = [];
  let parens = 0;
  let braces = false;
  let brackets = false;
  let i = 0;
  const problem = (pos: number, message: string): Lexed => ({ tokens, problem: { pos, message } });
  const push = (kind: TokenKind, text: string, pos: number) => tokens.push({ kind, text, pos, braces });
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < q.length && q[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < q.length && q[j] !== c) {
        if (c !== '`' && q[j] === '\\') j++;
        else if (c !== '`' && q[j] === '\n') break;
        j++;
      }
      if (j >= q.length || q[j] !== c) return problem(i, 'unterminated quoted string');
      const text = q.slice(i, j + 1);
      const escapeProblem = c === '`' ? undefined : badEscape(text);
      if (escapeProblem !== undefined) return problem(i, escapeProblem);
      push('string', text, i);
      i = j + 1;
      continue;
    }
    if (brackets && /[0-9]/.test(c)) {
      const text = /^[0-9a-zA-Z.]+/.exec(q.slice(i))![0];
      const bad = durationProblem(text);
      if (bad !== undefined) return problem(i, bad);
      push('duration', text, i);
      i += text.length;
      continue;
    }
    if (/[0-9.]/.test(c) && !(c === '.' && !/[0-9]/.test(q[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:\d+(?:y|w|d|h|ms|m|s))+|\d*\.?\d*(?:[eE][+-]?\d*)?)/.exec(
        q.slice(i),
      );
      const text = m?.[0] ?? c;
      const next = q[i + text.length] ?? '';
      if (/[a-zA-Z0-9_]/.test(next)) {
        return problem(i, `bad number or duration syntax: ${JSON.stringify(text)}`);
      }
      if (/[eE][+-]?$/.test(text)) {
        return problem(
          i,
          `error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`,
        );
      }
      const kind = /[ywdhms]$/.test(text) && !/^0[xX]/.test(text) ? 'duration' : 'number';
      push(kind, text, i);
      i += text.length;
      continue;
    }
    const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(q.slice(i));
    if (word !== null) {
      const w = word[0];
      const lower = w.toLowerCase();
      let kind: TokenKind = w.includes(':') ? 'metric identifier' : 'identifier';
      if (KEYWORDS.has(lower)) kind = 'keyword';
      else if (AGGREGATORS.has(lower)) kind = 'aggregator';
      else if (WORD_OPERATORS.has(lower)) kind = 'operator';
      else if (lower === 'inf' || lower === 'nan') kind = 'number';
      push(kind, w, i);
      i += w.length;
      continue;
    }
    switch (c) {
      case '(':
        parens++;
        break;
      case ')':
        if (parens === 0) return problem(i, "unexpected right parenthesis ')'");
        parens--;
        break;
      case '{':
        if (braces) return problem(i, "unexpected left brace '{'");
        braces = true;
        break;
      case '}':
        if (!braces) return problem(i, "unexpected character: '}'");
        push('punct', c, i++);
        braces = false;
        continue;
      case '[':
        if (brackets) return problem(i, "unexpected left bracket '['");
        brackets = true;
        break;
      case ']':
        if (!brackets) return problem(i, "unexpected right bracket ']'");
        brackets = false;
        break;
      case ',':
      case ':':
        break;
      default: {
        const op = OPERATORS.find((o) => q.startsWith(o, i));
        if (op === undefined)
          return problem(i, `unexpected character: ${JSON.stringify(c).replace(/"/g, "'")}`);
        push('operator', op, i);
        i += op.length;
        continue;
      }
    }
    push('punct', c, i);
    i++;
  }
  if (braces) return problem(q.length, 'unexpected end of input inside braces');
  if (brackets) return problem(q.length, 'unclosed left bracket');
  if (parens > 0) return problem(q.length, 'unclosed left parenthesis');
  return { tokens, problem: undefined };
}

const UNIT_RE = /^(?:\d+(?:ms|y|w|d|h|m|s))+$/;

/** What Prometheus's lexer says about a word in brackets that should be a duration. */
function durationProblem(text: string): string | undefined {
  if (/^[0-9.]+$/.test(text)) return 'missing unit character in duration';
  if (UNIT_RE.test(text)) {
    const ordered = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
    return ordered.test(text) ? undefined : `not a valid duration string: ${JSON.stringify(text)}`;
  }
  if (/^[0-9.]+[ywdhms]/.test(text) && /^(?:[0-9.]+(?:ms|y|w|d|h|m|s))+$/.test(text)) {
    return `not a valid duration string: ${JSON.stringify(text)}`;
  }
  return `bad duration syntax: ${JSON.stringify(/^[0-9.]*/.exec(text)![0])}`;
}

/** Prometheus's lexer rejects unknown escapes in quoted strings. */
function badEscape(literal: string): string | undefined {
  for (let i = 1; i < literal.length - 1; i++) {
    if (literal[i] !== '\\') continue;
    const e = literal[++i];
    if (/[abfnrtv\\'"xuU0-7]/.test(e)) continue;
    const code = e.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `unknown escape sequence U+${code} '${e}'`;
  }
  return undefined;
}

/** Go's `%q` of the token text, shortened like Prometheus's item descriptions. */
function quoted(text: string): string {
  return text.length > 10 ? `${JSON.stringify(text.slice(0, 10))}...` : JSON.stringify(text);
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'keyword':
      return `<${t.text}>`;
    case 'aggregator':
      return `<aggr:${t.text}>`;
    case 'operator':
      return `<op:${t.text}>`;
    case 'punct':
      return JSON.stringify(t.text);
    default:
      return `${t.kind} ${quoted(t.text)}`;
  }
}

function expectedInBraces(prev: Token | undefined): string {
  if (prev?.kind === 'identifier') return 'expected label matching operator';
  if (prev?.kind === 'operator') return 'expected string';
  return 'expected identifier or "}"';
}

/**
 * The message for a query the grammar rejected at `errorPos`: a lexer-level problem when there is one at or
 * before that point, else the unexpected token found there.
 */
export function describeSyntaxError(query: string, errorPos: number | undefined): SyntaxProblem {
  if (query.trim() === '') return { pos: 0, message: 'no expression found in input' };
  const { tokens, problem } = lex(query);
  // Prometheus's parser pulls tokens lazily, so whichever problem comes first in the text is reported.
  if (problem !== undefined && (errorPos === undefined || problem.pos <= errorPos)) return problem;
  if (errorPos === undefined) return { pos: 0, message: 'unexpected input' };
  const at = tokens.findIndex((t) => t.pos + t.text.length > errorPos);
  const token = at < 0 ? undefined : tokens[at];
  const prev = tokens[(at < 0 ? tokens.length : at) - 1];
  if (token === undefined) {
    if (prev?.kind === 'keyword' && prev.text.toLowerCase() === 'offset') {
      return { pos: query.length, message: 'unexpected end of input in offset, expected duration' };
    }
    if (prev?.kind === 'keyword' && prev.text.toLowerCase() !== 'bool') {
      return { pos: query.length, message: 'unexpected end of input in grouping opts, expected "("' };
    }
    return { pos: query.length, message: 'unexpected end of input' };
  }
  if (token.text === '(' && (prev?.kind === 'identifier' || prev?.kind === 'metric identifier')) {
    // Prometheus parses the whole call before it looks the name up, so a lexer problem inside wins.
    return problem ?? { pos: prev.pos, message: `unknown function with name ${JSON.stringify(prev.text)}` };
  }
  if (token.text === ')' && prev?.text === ',') {
    return { pos: prev.pos, message: 'trailing commas not allowed in function call args' };
  }
  if (token.braces)
    return {
      pos: token.pos,
      message: `unexpected ${describe(token)} in label matching, ${expectedInBraces(prev)}`,
    };
  return { pos: token.pos, message: `unexpected ${describe(token)}` };
}

/** A lexer-level problem anywhere in the query, which Prometheus reports even if the grammar parsed. */
export function lexerProblem(query: string): SyntaxProblem | undefined {
  return lex(query).problem;
}

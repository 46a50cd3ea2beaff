/**
 * A strict reader for the YAML our deploy assets are written in, for tests: no YAML library is installed,
 * and the real consumers (Prometheus, promtool, kubectl) are checked separately where they can be run.
 *
 * Supported: block mappings and sequences (also sequences at their key's indentation, as kubectl writes
 * them), `- key: value` items, plain, single- and double-quoted scalars on one line, flow sequences of
 * scalars, `{}`, literal (`|`) and folded (`>`) block scalars with chomping, comments, and several
 * documents separated by `---`. Everything else (anchors, aliases, tags, complex keys, multi-line flow or
 * quoted scalars, duplicate keys, tabs in indentation, and plain words YAML 1.1 reads as booleans such as
 * `yes` or `on`) is an error rather than a guess, so a test never passes on a misread file.
 */

export class YamlSubsetError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'YamlSubsetError';
  }
}

type Node = unknown;

const BLANK = /^\s*(#.*)?$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Plain words YAML 1.1 (Prometheus's and Kubernetes' go-yaml) and 1.2 would read differently. */
const AMBIGUOUS = /^(y|n|yes|no|on|off|0x.*|0o.*)$/i;

class Reader {
  readonly #lines: string[];
  #i = 0;

  constructor(
    lines: string[],
    private readonly firstLine: number,
  ) {
    this.#lines = lines;
  }

  #fail(message: string, at = this.#i): never {
    throw new YamlSubsetError(this.firstLine + at, message);
  }

  #indent(line: string): number {
    const n = line.length - line.trimStart().length;
    if (line.slice(0, n).includes('\t')) this.#fail('tab in indentation');
    return n;
  }

  #skipBlank(): void {
    while (this.#i < this.#lines.length && BLANK.test(this.#lines[this.#i])) this.#i++;
  }

  document(): Node {
    const node = this.#node(0);
    this.#skipBlank();
    if (this.#i < this.#lines.length) this.#fail('unexpected content (bad indentation?)');
    return node;
  }

  #isItem(content: string): boolean {
    return content === '-' || content.startsWith('- ');
  }

  /** The node starting at the next content line if it is indented at least `min`, else null. */
  #node(min: number): Node {
    this.#skipBlank();
    if (this.#i >= this.#lines.length) return null;
    const line = this.#lines[this.#i];
    const indent = this.#indent(line);
    if (indent < min) return null;
    const content = line.slice(indent);
    if (this.#isItem(content)) return this.#sequence(indent);
    if (splitKey(content) !== undefined) return this.#mapping(indent);
    return this.#fail(`expected a mapping or a sequence, got ${JSON.stringify(content)}`);
  }

  #mapping(indent: number): Record<string, Node> {
    const out: Record<string, Node> = {};
    for (;;) {
      this.#skipBlank();
      if (this.#i >= this.#lines.length) return out;
      const line = this.#lines[this.#i];
      const n = this.#indent(line);
      if (n < indent || (n === indent && this.#isItem(line.slice(n)))) return out;
      if (n > indent) this.#fail('unexpected indentation');
      const entry = splitKey(line.slice(n));
      if (entry === undefined) this.#fail(`expected "key: value", got ${JSON.stringify(line.slice(n))}`);
      const key = this.#scalarKey(entry.key);
      if (Object.hasOwn(out, key)) this.#fail(`duplicate key ${JSON.stringify(key)}`);
      if (key === '__proto__' || key === '<<') this.#fail(`unsupported key ${key}`);
      out[key] = this.#value(entry.rest, indent, true);
    }
  }

  #sequence(indent: number): Node[] {
    const out: Node[] = [];
    for (;;) {
      this.#skipBlank();
      if (this.#i >= this.#lines.length) return out;
      const line = this.#lines[this.#i];
      const n = this.#indent(line);
      const content = line.slice(n);
      if (n !== indent || !this.#isItem(content)) {
        if (n > indent) this.#fail('unexpected indentation');
        return out;
      }
      const rest = content.slice(1).trimStart();
      const at = indent + (content.length - rest.length);
      if (rest !== '' && !rest.startsWith('#') && (this.#isItem(rest) || splitKey(rest) !== undefined)) {
        // `- key: value` or `- - x`: the item is a block node that starts on this line at column `at`.
        this.#lines[this.#i] = ' '.repeat(at) + rest;
        out.push(this.#node(at));
      } else {
        out.push(this.#value(rest, indent, false));
      }
    }
  }

  /** The value after `key:` or `-` on the current line, which may continue on the following lines. */
  #value(rest: string, indent: number, inMapping: boolean): Node {
    const text = rest.trim();
    if (text === '' || text.startsWith('#')) {
      this.#i++;
      this.#skipBlank();
      if (this.#i >= this.#lines.length) return null;
      const line = this.#lines[this.#i];
      const n = this.#indent(line);
      if (n > indent) return this.#node(n);
      // A sequence may sit at its key's indentation.
      if (inMapping && n === indent && this.#isItem(line.slice(n))) return this.#sequence(indent);
      return null;
    }
    if (text[0] === '|' || text[0] === '>') return this.#blockScalar(text, indent);
    const value = this.#inline(text);
    this.#i++;
    return value;
  }

  #blockScalar(header: string, indent: number): string {
    const m = /^([|>])([-+]?)\s*(#.*)?$/.exec(header);
    if (m === null) this.#fail(`unsupported block scalar header ${JSON.stringify(header)}`);
    const [, style, chomp] = m;
    this.#i++;
    const body: string[] = [];
    let blockIndent = -1;
    while (this.#i < this.#lines.length) {
      const line = this.#lines[this.#i];
      if (line.trim() === '') {
        body.push('');
        this.#i++;
        continue;
      }
      const n = this.#indent(line);
      if (blockIndent < 0) {
        if (n <= indent) break;
        blockIndent = n;
      }
      if (n < blockIndent) break;
      body.push(line.slice(blockIndent));
      this.#i++;
    }
    let trailing = 0;
    while (body.length > 0 && body[body.length - 1] === '') {
      body.pop();
      trailing++;
    }
    let text: string;
    if (style === '|') {
      text = body.join('\n');
    } else {
      if (body.some((l) => l.startsWith(' '))) this.#fail('more-indented lines in a folded scalar');
      text = body.reduce((acc, l, k) => {
        if (k === 0) return l;
        if (l === '') return `${acc}\n`;
        return body[k - 1] === '' ? acc + l : `${acc} ${l}`;
      }, '');
    }
    if (body.length === 0) return '';
    if (chomp === '-') return text;
    if (chomp === '+') return text + '\n'.repeat(trailing + 1);
    return `${text}\n`;
  }

  #scalarKey(text: string): string {
    const value = this.#inline(text);
    if (typeof value !== 'string') this.#fail(`keys must be strings, got ${JSON.stringify(text)}`);
    return value;
  }

  /** A scalar, flow sequence or `{}` written on one line, followed at most by a comment. */
  #inline(text: string): Node {
    const first = text[0];
    if (first === '"' || first === "'") {
      const { value, end } = this.#quoted(text);
      if (!BLANK.test(text.slice(end))) this.#fail(`unexpected text after a quoted scalar: ${text}`);
      return value;
    }
    const plain = stripComment(text);
    if (plain === '{}') return {};
    if (first === '[') return this.#flowSequence(plain);
    if ('&*!%@`?{|>'.includes(first)) this.#fail(`unsupported YAML syntax: ${plain}`);
    return this.#plain(plain);
  }

  #plain(text: string): Node {
    if (/^(null|Null|NULL|~)$/.test(text)) return null;
    if (/^(true|True|TRUE)$/.test(text)) return true;
    if (/^(false|False|FALSE)$/.test(text)) return false;
    if (AMBIGUOUS.test(text)) this.#fail(`ambiguous plain scalar ${text}: quote it`);
    if (INT.test(text) || FLOAT.test(text)) return Number(text);
    if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^\.(nan|NaN|NAN)$/.test(text)) return Number.NaN;
    return text;
  }

  #flowSequence(text: string): Node[] {
    if (!text.endsWith(']')) this.#fail('flow sequences must close on their line');
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    const items: Node[] = [];
    let rest = inner;
    for (;;) {
      rest = rest.trimStart();
      let item: Node;
      if (rest[0] === '"' || rest[0] === "'") {
        const { value, end } = this.#quoted(rest);
        item = value;
        rest = rest.slice(end).trimStart();
      } else {
        const comma = rest.indexOf(',');
        const raw = (comma < 0 ? rest : rest.slice(0, comma)).trim();
        if (/[[\]{}]/.test(raw) || raw === '') this.#fail(`unsupported flow item ${JSON.stringify(raw)}`);
        item = this.#plain(raw);
        rest = comma < 0 ? '' : rest.slice(comma);
      }
      items.push(item);
      if (rest === '') return items;
      if (rest[0] !== ',') this.#fail(`expected "," in ${text}`);
      rest = rest.slice(1);
    }
  }

  #quoted(text: string): { value: string; end: number } {
    const q = text[0];
    let out = '';
    for (let k = 1; k < text.length; k++) {
      const c = text[k];
      if (q === "'" && c === "'") {
        if (text[k + 1] === "'") {
          out += "'";
          k++;
          continue;
        }
        return { value: out, end: k + 1 };
      }
      if (q === '"' && c === '"') return { value: out, end: k + 1 };
      if (q === '"' && c === '\\') {
        const e = text[++k];
        const simple: Record<string, string> = {
          '\\': '\\',
          '"': '"',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          t: '\t',
          r: '\r',
        };
        if (e in simple) out += simple[e];
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(k + 1, k + 5))) {
          out += String.fromCharCode(Number.parseInt(text.slice(k + 1, k + 5), 16));
          k += 4;
        } else this.#fail(`unsupported escape \\${e}`);
        continue;
      }
      out += c;
    }
    return this.#fail('quoted scalars must close on their line');
  }
}

/** Removes a trailing comment from a plain scalar (a `#` after whitespace starts one). */
function stripComment(text: string): string {
  const m = /\s#/.exec(text);
  return (m === null ? text : text.slice(0, m.index)).trimEnd();
}

/** Splits `key: rest` (also `key:` at the end); undefined when the content is not a mapping entry. */
function splitKey(content: string): { key: string; rest: string } | undefined {
  if (content.startsWith('#')) return undefined;
  let end: number;
  if (content[0] === '"' || content[0] === "'") {
    const q = content[0];
    end = 1;
    while (end < content.length) {
      if (content[end] === '\\' && q === '"') end += 2;
      else if (content[end] === q && q === "'" && content[end + 1] === "'") end += 2;
      else if (content[end] === q) break;
      else end++;
    }
    end++;
    if (content[end] !== ':') return undefined;
  } else {
    const m = /:(\s|$)/.exec(content);
    if (m === null || /\s#/.test(content.slice(0, m.index))) return undefined;
    end = m.index;
    if (content.slice(0, end).trim() === '') return undefined;
  }
  const after = content.slice(end + 1);
  if (after !== '' && !/^\s/.test(after)) return undefined;
  return { key: content.slice(0, end).trim(), rest: after };
}

/** Every document of `text` (documents holding only comments are left out). */
export function parseYamlDocuments(text: string): unknown[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const docs: unknown[] = [];
  let start = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end);
    if (chunk.some((l) => !BLANK.test(l))) docs.push(new Reader(chunk, start + 1).document());
  };
  lines.forEach((line, k) => {
    if (/^---\s*(#.*)?$/.test(line)) {
      flush(k);
      start = k + 1;
    } else if (/^(\.\.\.|%)/.test(line)) {
      throw new YamlSubsetError(k + 1, 'directives and document end markers are not supported');
    }
  });
  flush(lines.length);
  return docs;
}

/** The single document of `text`. */
export function parseYaml(text: string): unknown {
  const docs = parseYamlDocuments(text);
  if (docs.length !== 1) throw new YamlSubsetError(1, `expected one document, found ${docs.length}`);
  return docs[0];
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../deploy/generator/yaml.js';
import { parseYaml, parseYamlDocuments, YamlSubsetError } from '../helpers/yaml-subset.js';

describe('the YAML subset reader', () => {
  it('reads block mappings, sequences at and below their key, and `- key:` items', () => {
    const text = [
      '# a comment',
      'global:',
      '  scrape_interval: 10s   # trailing comment',
      'rule_files:',
      '- rules/*.yml',
      'scrape_configs:',
      '  - job_name: a',
      '    static_configs:',
      '      - targets: ["x:1", \'y:2\', z:3]',
      '    honor_labels: true',
      '  - job_name: "b: quoted"',
      '    relabel_configs: []',
      '    params: {}',
      'empty:',
      'numbers: [1, -2.5, 1e3]',
    ].join('\n');
    expect(parseYaml(text)).toEqual({
      global: { scrape_interval: '10s' },
      rule_files: ['rules/*.yml'],
      scrape_configs: [
        { job_name: 'a', static_configs: [{ targets: ['x:1', 'y:2', 'z:3'] }], honor_labels: true },
        { job_name: 'b: quoted', relabel_configs: [], params: {} },
      ],
      empty: null,
      numbers: [1, -2.5, 1000],
    });
  });

  it('reads scalars with colons, quotes and hashes the way YAML does', () => {
    expect(
      parseYaml(
        [
          'expr: sum(x{a="b"}) > 0 # note',
          'record: level:metric:rate5m',
          'url: http://host:8000/http_sd_config',
          "single: 'it''s # not a comment'",
          'double: "tab\\tquote\\" \\u00e9"',
          'hash: a#b',
          'null_word: ~',
          'string_number: "0.99"',
        ].join('\n'),
      ),
    ).toEqual({
      expr: 'sum(x{a="b"}) > 0',
      record: 'level:metric:rate5m',
      url: 'http://host:8000/http_sd_config',
      single: "it's # not a comment",
      double: 'tab\tquote" é',
      hash: 'a#b',
      null_word: null,
      string_number: '0.99',
    });
  });

  it('reads literal and folded block scalars with their chomping', () => {
    const text = [
      'a: |',
      '  one',
      '    two',
      '',
      'b: >-',
      '  folded',
      '  line',
      '',
      '  next',
      'c: |+',
      '  kept',
      '',
      'd: x',
    ].join('\n');
    expect(parseYaml(text)).toEqual({ a: 'one\n  two\n', b: 'folded line\nnext', c: 'kept\n\n', d: 'x' });
  });

  it('splits documents at --- and skips documents holding only comments', () => {
    expect(parseYamlDocuments('# header\n---\nkind: A\n---\n# nothing\n---\nkind: B\n')).toEqual([
      { kind: 'A' },
      { kind: 'B' },
    ]);
  });

  it.each([
    ['a: 1\na: 2', 'line 2: duplicate key "a"'],
    ['a: &x 1', 'unsupported YAML syntax: &x 1'],
    ['a: *x', 'unsupported YAML syntax: *x'],
    ['a: !!str 1', 'unsupported YAML syntax: !!str 1'],
    ['enabled: yes', 'ambiguous plain scalar yes: quote it'],
    ['a:\n\tb: 1', 'tab in indentation'],
    ['a: "open', 'quoted scalars must close on their line'],
    ['a: [1, 2', 'flow sequences must close on their line'],
    ['a: {b: 1}', 'unsupported YAML syntax: {b: 1}'],
    ['a:\n  b: 1\n    c: 2', 'unexpected indentation'],
    ['just a scalar', 'expected a mapping or a sequence'],
    ['<<: {}', 'unsupported key <<'],
  ])('refuses %j', (text, message) => {
    expect(() => parseYamlDocuments(text)).toThrow(YamlSubsetError);
    expect(() => parseYamlDocuments(text)).toThrow(message);
  });
});

describe("the generator's YAML writer", () => {
  it('writes plain scalars only where no YAML reader could take them for something else', () => {
    const data = {
      a: 'plain',
      b: '10m',
      c: 'yes',
      d: 'x: y',
      e: 'say "hi"',
      f: '"quoted" first',
      g: 'é',
      h: null,
      i: [],
      j: {},
      k: 0.5,
      l: [{ m: 1, n: [2] }, 'o'],
    };
    expect(toYaml(data, ['header'])).toBe(
      [
        '# header',
        'a: plain',
        'b: "10m"',
        'c: "yes"',
        'd: "x: y"',
        'e: say "hi"',
        `f: '"quoted" first'`,
        'g: "é"',
        'h: null',
        'i: []',
        'j: {}',
        'k: 0.5',
        'l:',
        '  - m: 1',
        '    "n":',
        '      - 2',
        '  - o',
        '',
      ].join('\n'),
    );
  });

  it('is read back by the subset reader as the data it was given', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const scalar = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
      fc.boolean(),
      fc.constant(null),
    );
    const data = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(data.map, (value) => {
        expect(parseYaml(toYaml({ root: value }))).toEqual({ root: value });
      }),
      { numRuns: 300 },
    );
  });
});

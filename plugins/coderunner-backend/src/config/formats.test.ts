import { parse as parseWithDotenv } from 'dotenv';
import fc from 'fast-check';
import { formatExport, parseEnv, parseImport, quoteEnvValue } from './formats';

describe('.env import', () => {
  it('reads quotes, multi-line values, comments and export prefixes with dotenv', () => {
    const parsed = parseEnv(
      [
        '# database',
        'export DATABASE_URL="postgres://u:p@db/app" # inline comment',
        "SINGLE='it has # and spaces'",
        'MULTI="first',
        'second"',
        'EMPTY=',
        '',
        'PLAIN = bare value  ',
      ].join('\n'),
    );
    expect(parsed.problems).toEqual([]);
    expect(
      Object.fromEntries(
        parsed.variables.map(v => [v.name, [v.value, v.line]]),
      ),
    ).toEqual({
      DATABASE_URL: ['postgres://u:p@db/app', 2],
      SINGLE: ['it has # and spaces', 3],
      MULTI: ['first\nsecond', 4],
      EMPTY: ['', 6],
      PLAIN: ['bare value', 8],
    });
  });

  it('reports every bad line by number, with the reason', () => {
    const parsed = parseEnv(
      'OK=1\nnot a variable\nPORT=80\n2X=1\nfoo.bar=2\r\nALSO_OK=2',
    );
    expect(parsed.variables.map(v => v.name)).toEqual(['OK', 'ALSO_OK']);
    expect(parsed.problems).toEqual([
      { line: 2, message: 'Not a NAME=value line: "not a variable"' },
      { line: 3, message: expect.stringContaining('PORT is reserved') },
      { line: 4, message: expect.stringContaining('2X: Use letters') },
      { line: 5, message: expect.stringContaining('foo.bar: Use letters') },
    ]);
  });

  it('reads an unclosed quote as a plain value and goes on with the next line', () => {
    const text = 'A="open\nB=2\nC=\'x\' tail\nD="a\\"b"';
    const read = parseEnv(text).variables.map(v => [v.name, v.value]);
    expect(read).toEqual([
      ['A', '"open'],
      ['B', '2'],
      ['C', "'x' tail"],
      ['D', 'a\\"b'],
    ]);
    expect(read).toEqual(Object.entries(parseWithDotenv(text)));
  });

  it('reports a YAML name given twice on its second line, and never expands aliases', () => {
    expect(parseImport('A: 1\nB: 2\nA: 3\n', 'yaml')).toEqual({
      variables: [
        { name: 'A', value: '1', line: 1, secret: undefined },
        { name: 'B', value: '2', line: 2, secret: undefined },
      ],
      problems: [{ line: 3, message: 'A: already set on line 1' }],
    });
    const laughs = ['x: &x [a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 12; i++)
      laughs.push(
        `x${i}: &x${i} [${Array(8)
          .fill(i === 1 ? '*x' : `*x${i - 1}`)
          .join(', ')}]`,
      );
    laughs.push(
      'SECRET: { value: *x11, secret: true }',
      'NAME: &n hello',
      'ALIAS: *n',
    );
    const parsed = parseImport(laughs.join('\n'), 'yaml');
    expect(parsed.variables).toEqual([
      { name: 'NAME', value: 'hello', line: 14, secret: undefined },
      { name: 'ALIAS', value: 'hello', line: 15, secret: undefined },
    ]);
    expect(parsed.problems.map(p => p.line)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ]);
  });

  it('refuses JSON and YAML nested deeper than a map of values can be, naming the line, before parsing', () => {
    for (const format of ['json', 'yaml'] as const) {
      const { variables, problems } = parseImport(
        `{"A": "1",\n"B": ${'['.repeat(200_000)}`,
        format,
      );
      expect(variables).toEqual([]);
      expect(problems).toEqual([
        {
          line: 2,
          message: expect.stringMatching(/^Nested more than 16 levels deep/),
        },
      ]);
    }
    // Brackets inside quoted values and comments are text, not nesting.
    const quoted = parseImport(
      `A: "${'['.repeat(100)}"\nB: '${'{'.repeat(100)}' # ${'['.repeat(100)}`,
      'yaml',
    );
    expect(quoted.problems).toEqual([]);
    expect(quoted.variables.map(v => v.value)).toEqual([
      '['.repeat(100),
      '{'.repeat(100),
    ]);
  });

  it('reads JSON and YAML maps and reports bad entries by line', () => {
    expect(
      parseImport(
        '{\n  "A": "1",\n  "B": 2,\n  "C": {"value": "x", "secret": true}\n}',
        'json',
      ),
    ).toEqual({
      variables: [
        { name: 'A', value: '1', line: 2, secret: undefined },
        { name: 'B', value: '2', line: 3, secret: undefined },
        { name: 'C', value: 'x', line: 4, secret: true },
      ],
      problems: [],
    });
    expect(
      parseImport('{\n  "A": "1",\n  oops\n}', 'json').problems[0],
    ).toMatchObject({ line: 3 });
    expect(parseImport('A: one\nB:\n  - list\nbad-name: 1\n', 'yaml')).toEqual({
      variables: [{ name: 'A', value: 'one', line: 1, secret: undefined }],
      problems: [
        {
          line: 2,
          message: expect.stringContaining('B: expected a text value'),
        },
        { line: 4, message: expect.stringContaining('bad-name: Use letters') },
      ],
    });
  });
});

const name = fc
  .stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/)
  .filter(n => n !== 'PORT' && !n.startsWith('CODERUNNER_'));
const value = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '0',
    ' ',
    '#',
    '=',
    "'",
    '"',
    '`',
    '\\',
    '\n',
    '$',
    'é',
    '🔑',
    '\t',
    ':',
  ),
  maxLength: 30,
});

describe('.env import properties', () => {
  it('reads what dotenv reads, line by line, for the files people write', () => {
    const bare = fc
      .string({
        unit: fc.constantFrom(
          'a',
          'Z',
          '0',
          ' ',
          '=',
          ':',
          '/',
          '$',
          'é',
          '"',
          "'",
          '#',
          '\\',
        ),
        maxLength: 12,
      })
      .filter(v => !/^\s*['"`]/.test(v));
    const entry = fc
      .tuple(
        fc.constantFrom('', 'export ', '  ', '\t'),
        name,
        fc.constantFrom('=', ' = ', '=  ', ': '),
        fc.oneof(
          bare,
          value.map(v => quoteEnvValue(v) ?? 'x'),
        ),
        fc.constantFrom('', ' # why', '\t#note', '  '),
      )
      .map(parts => parts.join(''));
    const line = fc.oneof(
      entry,
      entry,
      fc.constantFrom('', '   ', '# comment', '  # indented'),
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        (lines, eol) => {
          const text = lines.join(eol);
          const parsed = parseEnv(text);
          expect(
            Object.fromEntries(parsed.variables.map(v => [v.name, v.value])),
          ).toEqual(parseWithDotenv(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads back exactly what the export wrote, for every value .env can hold', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), variables => {
        const list = Object.entries(variables).map(([n, v]) => ({
          name: n,
          value: v,
          secret: false,
        }));
        const { content, unrepresentable } = formatExport(list, 'env');
        const parsed = parseEnv(content);
        expect(parsed.problems).toEqual([]);
        const expected = Object.fromEntries(
          list
            .filter(v => !unrepresentable.includes(v.name))
            .map(v => [v.name, v.value]),
        );
        expect(
          Object.fromEntries(parsed.variables.map(v => [v.name, v.value])),
        ).toEqual(expected);
        for (const skipped of unrepresentable) {
          expect(quoteEnvValue(variables[skipped])).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, and every problem names a line of the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), text => {
        const parsed = parseEnv(text);
        const lines = text.replace(/\r\n?/g, '\n').split('\n').length;
        for (const problem of parsed.problems) {
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(lines);
        }
        for (const variable of parsed.variables) {
          expect(variable.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('YAML and JSON exports always read back whole', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), variables => {
        const list = Object.entries(variables).map(([n, v]) => ({
          name: n,
          value: v,
          secret: false,
        }));
        for (const format of ['json', 'yaml'] as const) {
          const parsed = parseImport(
            formatExport(list, format).content,
            format,
          );
          expect(parsed.problems).toEqual([]);
          expect(
            Object.fromEntries(parsed.variables.map(v => [v.name, v.value])),
          ).toEqual(variables);
        }
      }),
      { numRuns: 300 },
    );
  });
});

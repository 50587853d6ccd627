import { formatManifestErrors } from './formatManifestErrors';

describe('formatManifestErrors', () => {
  it('renders one compiler-style line per error', () => {
    expect(
      formatManifestErrors(
        [
          {
            path: 'run.port',
            line: 12,
            column: 9,
            message: 'must be an integer from 1 to 65535, got "abc"',
          },
          { path: '', line: 1, column: 1, message: 'coderunner.yaml is empty' },
        ],
        'apps/web/coderunner.yaml',
      ),
    ).toBe(
      [
        'apps/web/coderunner.yaml:12:9 run.port: must be an integer from 1 to 65535, got "abc"',
        'apps/web/coderunner.yaml:1:1 coderunner.yaml is empty',
      ].join('\n'),
    );
  });

  it('defaults the file name', () => {
    expect(
      formatManifestErrors([
        { path: 'kind', line: 2, column: 7, message: 'x' },
      ]),
    ).toBe('coderunner.yaml:2:7 kind: x');
  });
});

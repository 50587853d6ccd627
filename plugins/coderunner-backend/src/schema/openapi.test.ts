import fs from 'node:fs';
import path from 'node:path';
import { renderClientTypes } from '../../scripts/renderClientTypes';
import { renderGeneratedSpec } from './renderGeneratedSpec';

const yamlText = fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8');

describe('the OpenAPI spec', () => {
  it('matches its generated module (run `yarn generate:openapi` after changing openapi.yaml)', () => {
    const generated = fs.readFileSync(
      path.join(__dirname, 'openapi.generated.ts'),
      'utf8',
    );
    expect(generated).toBe(renderGeneratedSpec(yamlText));
  });

  it('matches the client types generated in coderunner-common (run `yarn generate:openapi` after changing openapi.yaml)', async () => {
    const generated = fs.readFileSync(
      path.join(
        __dirname,
        '../../../coderunner-common/src/api/generated/openapi.ts',
      ),
      'utf8',
    );
    expect(generated).toBe(await renderClientTypes(yamlText));
  });
});

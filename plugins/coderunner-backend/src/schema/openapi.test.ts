import fs from 'node:fs';
import path from 'node:path';
import { renderGeneratedSpec } from './renderGeneratedSpec';

describe('the OpenAPI spec', () => {
  it('matches its generated module (run `yarn generate:openapi` after changing openapi.yaml)', () => {
    const yamlText = fs.readFileSync(
      path.join(__dirname, 'openapi.yaml'),
      'utf8',
    );
    const generated = fs.readFileSync(
      path.join(__dirname, 'openapi.generated.ts'),
      'utf8',
    );
    expect(generated).toBe(renderGeneratedSpec(yamlText));
  });
});

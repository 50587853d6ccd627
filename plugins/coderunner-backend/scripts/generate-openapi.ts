/*
 * Writes src/schema/openapi.generated.ts from src/schema/openapi.yaml: the spec as a typed
 * constant and a router factory that validates requests against it. Run it after changing the
 * spec: `yarn generate:openapi` in this package. A test fails when the two differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderGeneratedSpec } from '../src/schema/renderGeneratedSpec';

const dir = path.resolve(__dirname, '../src/schema');
const yamlText = fs.readFileSync(path.join(dir, 'openapi.yaml'), 'utf8');
fs.writeFileSync(
  path.join(dir, 'openapi.generated.ts'),
  renderGeneratedSpec(yamlText),
);
console.log('wrote src/schema/openapi.generated.ts');

/*
 * Regenerates both sides of the REST API from src/schema/openapi.yaml: the server's
 * src/schema/openapi.generated.ts (the spec as a typed constant and a router factory that
 * validates requests against it) and the client types in coderunner-common
 * (src/api/generated/openapi.ts, by openapi-typescript). Run it after changing the spec:
 * `yarn generate:openapi` in this package. A test fails when either is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderClientTypes } from './renderClientTypes';
import { renderGeneratedSpec } from '../src/schema/renderGeneratedSpec';

async function main() {
  const dir = path.resolve(__dirname, '../src/schema');
  const yamlText = fs.readFileSync(path.join(dir, 'openapi.yaml'), 'utf8');
  fs.writeFileSync(
    path.join(dir, 'openapi.generated.ts'),
    renderGeneratedSpec(yamlText),
  );
  console.log('wrote src/schema/openapi.generated.ts');

  const clientTypes = path.resolve(
    __dirname,
    '../../coderunner-common/src/api/generated/openapi.ts',
  );
  fs.writeFileSync(clientTypes, await renderClientTypes(yamlText));
  console.log(`wrote ${path.relative(process.cwd(), clientTypes)}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

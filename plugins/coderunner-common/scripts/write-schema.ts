/**
 * Writes the manifest's JSON Schema to schema/coderunner.schema.json, for editors.
 * Run from the package folder after changing the manifest schema:
 *   npx tsx scripts/write-schema.ts
 * A test fails while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderManifestJsonSchema } from '../src/manifest/manifestJsonSchema';

const target = resolve(__dirname, '..', 'schema', 'coderunner.schema.json');
writeFileSync(target, renderManifestJsonSchema());
process.stdout.write(`wrote ${target}\n`);

import { manifestSchema } from './manifestSchema';
import { JsonSchema, toJsonSchema } from './schema/toJsonSchema';

/**
 * JSON Schema (draft 2020-12) for `coderunner.yaml`, derived from the same
 * description as {@link parseManifest}. Published as
 * `schema/coderunner.schema.json` for editors.
 * @public
 */
export const manifestJsonSchema: JsonSchema = toJsonSchema(manifestSchema);

/** The text of `schema/coderunner.schema.json`, as the write-schema script writes it. */
export function renderManifestJsonSchema(): string {
  return `${JSON.stringify(manifestJsonSchema, null, 2)}\n`;
}

import { manifestSchema } from './manifestSchema';
import { JsonSchema, toJsonSchema } from './schema/toJsonSchema';

/**
 * JSON Schema (draft 2020-12) for `coderunner.yaml`, derived from the same
 * description as {@link parseManifest}. Published as
 * `schema/coderunner.schema.json` for editors.
 * @public
 */
export const manifestJsonSchema: JsonSchema = toJsonSchema(manifestSchema);

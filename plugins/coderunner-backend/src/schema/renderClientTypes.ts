import openapiTS, { astToString } from 'openapi-typescript';

/** The root types that `@coderunner/plugin-coderunner-common` exports. */
const PUBLIC_ROOTS = ['paths', 'components', 'operations'];

/**
 * The TypeScript types of the REST API generated from the OpenAPI spec with openapi-typescript,
 * for `@coderunner/plugin-coderunner-common`: `paths` types the HTTP client that the frontend
 * and the scaffolder module share, `components` the request and response bodies.
 *
 * @internal
 */
export async function renderClientTypes(yamlText: string): Promise<string> {
  const types = astToString(await openapiTS(yamlText)).replace(
    new RegExp(`^export interface (${PUBLIC_ROOTS.join('|')}) `, 'gm'),
    (declaration, root) =>
      `/**\n * The \`${root}\` of the CodeRunner REST API, generated from its OpenAPI spec.\n *\n * @public\n */\n${declaration}`,
  );
  return `// GENERATED from plugins/coderunner-backend/src/schema/openapi.yaml by openapi-typescript.
// Do not edit by hand: change openapi.yaml and run \`yarn generate:openapi\` in plugins/coderunner-backend.
/* eslint-disable */
${types}`;
}

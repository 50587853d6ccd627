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
  const types = astToString(await openapiTS(yamlText))
    .replace(/\/\*\*[\s\S]*?\*\//g, asTsdoc)
    .replace(
      new RegExp(`^export interface (${PUBLIC_ROOTS.join('|')}) `, 'gm'),
      (declaration, root) =>
        `/**\n * The \`${root}\` of the CodeRunner REST API, generated from its OpenAPI spec.\n *\n * @public\n */\n${declaration}`,
    );
  return `// GENERATED from plugins/coderunner-backend/src/schema/openapi.yaml by openapi-typescript.
// Do not edit by hand: change openapi.yaml and run \`yarn generate:openapi\` in plugins/coderunner-backend.
/* eslint-disable */
${types}`;
}

/**
 * openapi-typescript's JSDoc as TSDoc, which the API report reads: the description as plain
 * text, without the `@enum` the type already shows, and braces and at signs of the spec's prose
 * escaped.
 */
function asTsdoc(comment: string): string {
  const text = comment
    .slice(3, -2)
    .split('\n')
    .filter(line => !/^\s*\*?\s*@enum\b/.test(line))
    .join('\n')
    .replace(/@description /g, '')
    .replace(/([{}@])/g, '\\$1');
  return `/**${text}*/`;
}

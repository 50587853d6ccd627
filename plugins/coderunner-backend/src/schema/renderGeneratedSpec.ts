import { parse } from 'yaml';

/**
 * The TypeScript module generated from the OpenAPI spec: the spec as a `const` (so routers
 * built from it are typed by it) and a factory for a router that validates every documented
 * request against it.
 *
 * @internal
 */
export function renderGeneratedSpec(yamlText: string): string {
  const spec = parse(yamlText);
  // Path-level parameters are copied into each operation: the router's types read them there.
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  for (const item of Object.values<Record<string, any>>(spec.paths ?? {})) {
    if (!item.parameters) continue;
    for (const method of methods) {
      if (item[method]) {
        item[method].parameters = [
          ...item.parameters,
          ...(item[method].parameters ?? []),
        ];
      }
    }
    delete item.parameters;
  }
  delete spec['x-path-parameters'];
  return `// ******************************************************************
// * GENERATED from openapi.yaml by scripts/generate-openapi.ts.    *
// * Do not edit by hand: change openapi.yaml and run the script.     *
// ******************************************************************
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
}

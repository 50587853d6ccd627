import { parseEntityRef } from '@backstage/catalog-model';

/**
 * The path parameters of an entity in the CodeRunner REST API
 * (`/entities/{kind}/{namespace}/{name}/…`): kind and namespace lower-cased as in catalog URLs.
 * The HTTP client encodes each one.
 *
 * @public
 */
export function entityPathParams(entityRef: string): {
  kind: string;
  namespace: string;
  name: string;
} {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return {
    kind: kind.toLocaleLowerCase('en-US'),
    namespace: namespace.toLocaleLowerCase('en-US'),
    name,
  };
}

/**
 * The path parameters of an entity's deployment in one environment
 * (`/entities/{kind}/{namespace}/{name}/deployments/{environment}/…`).
 *
 * @public
 */
export function deploymentPathParams(
  entityRef: string,
  environment: string,
): { kind: string; namespace: string; name: string; environment: string } {
  return { ...entityPathParams(entityRef), environment };
}

import { parseEntityRef } from '@backstage/catalog-model';

/**
 * The portal path of one of an entity's CodeRunner tabs (the catalog's entity route
 * `/catalog/:namespace/:kind/:name` and the tab's path).
 *
 * @internal
 */
export function entityTabPath(
  entityRef: string,
  tab: 'deployments' | 'logs' | 'config' | 'autoscaling',
): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/${tab}`;
}

/** The global CodeRunner page. */
export const GLOBAL_PAGE_PATH = '/coderunner';

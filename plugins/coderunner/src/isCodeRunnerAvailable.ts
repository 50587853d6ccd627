import { Entity } from '@backstage/catalog-model';

/**
 * Whether the CodeRunner tabs and card belong on this entity's page: true for
 * Component entities. Whether the component has a `coderunner.yaml` is for the
 * tabs to say, since only the backend can read the component's source.
 *
 * @public
 */
export function isCodeRunnerAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}

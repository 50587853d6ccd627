/**
 * The path of an entity in the CodeRunner REST API, below the plugin's base URL:
 * `/entities/{kind}/{namespace}/{name}`, with kind and namespace lower-cased as in catalog
 * URLs and every segment URL-encoded. Every client builds entity routes from it.
 *
 * @public
 */
export function entityApiPath(ref: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return `/entities/${[
    ref.kind.toLocaleLowerCase('en-US'),
    ref.namespace.toLocaleLowerCase('en-US'),
    ref.name,
  ]
    .map(encodeURIComponent)
    .join('/')}`;
}

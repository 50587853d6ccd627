import { parseEntityRef } from '@backstage/catalog-model';

/** `'user:default/guest'` → `'guest'`; anything that is not an entity ref is shown as it is. */
export function displayUser(ref: string | undefined): string {
  if (!ref) {
    return 'unknown';
  }
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

import { parseEntityRef } from '@backstage/catalog-model';
import { CoderunnerTranslate } from '../translation';

/**
 * `'user:default/guest'` → `'guest'`; anything that is not an entity ref is shown as it is, and
 * no one as `displayUser.unknown`.
 */
export function displayUser(
  ref: string | undefined,
  t: CoderunnerTranslate,
): string {
  if (!ref) {
    return t('displayUser.unknown');
  }
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

import { ApiRef } from '@backstage/core-plugin-api';
import { translationApiRef } from '@backstage/core-plugin-api/alpha';

/**
 * An app's translation of every message to its key and values (`«key»`,
 * `«key {"name":"value"}»`), as an entry for TestApiProvider's `apis`: shows that a component
 * takes its text from coderunnerTranslationRef. Only the parts of the translation API that
 * useTranslationRef calls.
 */
export function keyTranslationApi(): [ApiRef<object>, object] {
  const t = (key: string, values?: Record<string, unknown>) =>
    `«${key}${values ? ` ${JSON.stringify(values)}` : ''}»`;
  const snapshot = { ready: true as const, t };
  const translationApi = {
    getTranslation: () => snapshot,
    translation$: () => ({
      subscribe: () => ({ unsubscribe: () => {} }),
    }),
  };
  return [translationApiRef, translationApi];
}

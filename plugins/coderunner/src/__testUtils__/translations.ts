import { mockApis } from '@backstage/test-utils';
import { CoderunnerTranslate, coderunnerTranslationRef } from '../translation';

/** The English messages of coderunnerTranslationRef, as an app without translations shows them. */
export function englishTranslate(): CoderunnerTranslate {
  const snapshot = mockApis
    .translation()
    .getTranslation(coderunnerTranslationRef);
  if (!snapshot.ready) throw new Error('the default messages are not ready');
  return snapshot.t;
}

/**
 * A translation API for `translationApiRef` that words every message as its key and values,
 * `«key {"name":"value"}»`, as an app's own translation would replace them. Only the parts
 * `useTranslationRef` calls.
 */
export function keyTranslationApi() {
  const t = (key: string, values?: Record<string, unknown>) =>
    `«${key}${values ? ` ${JSON.stringify(values)}` : ''}»`;
  const snapshot = { ready: true as const, t };
  return {
    getTranslation: () => snapshot,
    translation$: () => ({
      subscribe: () => ({ unsubscribe: () => {} }),
    }),
  };
}

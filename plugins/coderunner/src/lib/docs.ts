/**
 * Where CodeRunner's documentation lives. The pages are the `docs/` folder of
 * the CodeRunner repository.
 */
export const CODERUNNER_DOCS_URL =
  'https://github.com/coderunner-io/coderunner/blob/main/docs';

/** The page that explains every field of `coderunner.yaml`. */
export const MANIFEST_DOCS_URL = `${CODERUNNER_DOCS_URL}/manifest.md`;

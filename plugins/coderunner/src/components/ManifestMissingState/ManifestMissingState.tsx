import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { MANIFEST_DOCS_URL } from '../../lib/docs';
import { EXAMPLE_MANIFEST } from '../../lib/exampleManifest';
import { coderunnerTranslationRef } from '../../translation';

/**
 * Says that the component has no usable `coderunner.yaml` and shows how to add one.
 */
export function ManifestMissingState(props: { setup: EntitySetup }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { manifestPath, problem } = props.setup;
  return (
    <EmptyState
      missing="field"
      title={t('manifestMissingState.title')}
      description={
        <>
          {problem ??
            t('manifestMissingState.notFound', { path: manifestPath })}{' '}
          {t('manifestMissingState.addOne', {
            path: <code>{manifestPath}</code>,
          })}
        </>
      }
      action={
        <>
          <Box mb={2}>
            <CodeSnippet
              text={EXAMPLE_MANIFEST}
              language="yaml"
              showCopyCodeButton
            />
          </Box>
          <Button
            variant="contained"
            color="primary"
            href={MANIFEST_DOCS_URL}
            target="_blank"
            rel="noopener"
          >
            {t('manifestMissingState.readDocs')}
          </Button>
        </>
      }
    />
  );
}

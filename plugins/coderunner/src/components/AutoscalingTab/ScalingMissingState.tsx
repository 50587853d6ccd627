import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { CODERUNNER_DOCS_URL } from '../../lib/docs';
import { coderunnerTranslationRef } from '../../translation';

/** The section to add to coderunner.yaml for autoscaling. */
export const SCALING_SNIPPET = `scaling:
  template: web-app   # or api, worker, ml-inference, development, cost-saver
  min: 1
  max: 5
`;

/** Says that the active release's manifest has no scaling template, and what to add. */
export function ScalingMissingState() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <EmptyState
      missing="field"
      title={t('autoscalingTab.missing.title')}
      description={t('autoscalingTab.missing.description')}
      action={
        <>
          <Box mb={2}>
            <CodeSnippet
              text={SCALING_SNIPPET}
              language="yaml"
              showCopyCodeButton
            />
          </Box>
          <Button
            variant="outlined"
            color="primary"
            href={`${CODERUNNER_DOCS_URL}/autoscaling.md`}
            target="_blank"
            rel="noopener"
          >
            {t('autoscalingTab.missing.readDocs')}
          </Button>
        </>
      }
    />
  );
}

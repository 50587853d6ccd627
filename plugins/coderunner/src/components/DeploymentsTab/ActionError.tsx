import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ResponseError } from '@backstage/errors';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { coderunnerTranslationRef } from '../../translation';

/**
 * A failed request, shown where the user acted: the status as the title and
 * the backend's own message, whitespace kept, so that e.g.
 * "coderunner.yaml:12:9 run.port: …" reads as the backend wrote it.
 */
export function ActionError(props: { error: Error }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { error } = props;
  const response = error instanceof ResponseError ? error : undefined;
  return (
    <Alert severity="error" role="alert" data-testid="coderunner-action-error">
      <AlertTitle>
        {response
          ? response.message.trim()
          : t('deploymentsTab.actionDialog.requestFailed')}
      </AlertTitle>
      <span style={{ whiteSpace: 'pre-wrap' }}>
        {response?.cause.message || error.message}
      </span>
    </Alert>
  );
}

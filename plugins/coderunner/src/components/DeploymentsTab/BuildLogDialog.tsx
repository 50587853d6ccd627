import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Release } from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useBuildLog } from '../../hooks/useBuildLog';
import { errorTitle } from '../../lib/errorTitle';
import { coderunnerTranslationRef } from '../../translation';

const TITLE_ID = 'coderunner-build-log-title';

/** The stored build and system lines of one release. */
export function BuildLogDialog(props: {
  entityRef: string;
  environment: string;
  release: Release;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { release } = props;
  const { lines, loading, error } = useBuildLog(
    props.entityRef,
    props.environment,
    release.id,
  );
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby={TITLE_ID}
      maxWidth="lg"
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>
        {t('deploymentsTab.buildLog.title', {
          number: String(release.number),
        })}
      </DialogTitle>
      <DialogContent dividers>
        {loading && <Progress />}
        {error && (
          <ResponseErrorPanel error={error} title={errorTitle(error, t)} />
        )}
        {lines?.length === 0 && (
          <Typography variant="body2">
            {t('deploymentsTab.buildLog.empty')}
          </Typography>
        )}
        {!!lines?.length && (
          <pre
            data-testid="coderunner-build-log"
            style={{
              margin: 0,
              maxHeight: '60vh',
              overflow: 'auto',
              whiteSpace: 'pre-wrap',
              fontSize: '0.8rem',
            }}
          >
            {lines.map(line => `${line.line}\n`).join('')}
          </pre>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>
          {t('deploymentsTab.buildLog.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

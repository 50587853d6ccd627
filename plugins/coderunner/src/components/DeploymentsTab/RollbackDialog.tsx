import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Release } from '@coderunner/plugin-coderunner-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { coderunnerApiRef } from '../../api';
import { displayUser } from '../../lib/displayUser';
import { formatWhen } from '../../lib/formatWhen';
import { coderunnerTranslationRef } from '../../translation';
import { ActionDialog } from './ActionDialog';

/** Lets the user pick an earlier built release and rolls back to it. */
export function RollbackDialog(props: {
  entityRef: string;
  environment: string;
  /** Releases that can be rolled back to, newest first. */
  candidates: Release[];
  /** The release to preselect, e.g. from a history row. */
  initialNumber?: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, environment, candidates } = props;
  const api = useApi(coderunnerApiRef);
  const [number, setNumber] = useState<number | undefined>(
    props.initialNumber ?? candidates[0]?.number,
  );

  return (
    <ActionDialog
      title={t('deploymentsTab.rollbackDialog.title', { environment })}
      confirmLabel={t('deploymentsTab.rollbackDialog.confirm')}
      destructive
      confirmDisabled={number === undefined}
      request={() =>
        api.rollback(entityRef, environment, { releaseNumber: number! })
      }
      success={t('deploymentsTab.rollbackDialog.success', {
        environment,
        number: String(number),
      })}
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        {t('deploymentsTab.rollbackDialog.description')}
      </Typography>
      <TextField
        id="coderunner-rollback-release"
        select
        label={t('deploymentsTab.rollbackDialog.release')}
        value={number ?? ''}
        onChange={event => setNumber(Number(event.target.value))}
        SelectProps={{ inputProps: { 'data-testid': 'rollback-release' } }}
        fullWidth
      >
        {candidates.map(release => (
          <MenuItem key={release.id} value={release.number}>
            {t(
              release.sourceSummary
                ? 'deploymentsTab.rollbackDialog.optionWithSource'
                : 'deploymentsTab.rollbackDialog.option',
              {
                number: String(release.number),
                source: release.sourceSummary ?? '',
                user: displayUser(release.createdBy, t),
                when: formatWhen(release.createdAt, t),
              },
            )}
          </MenuItem>
        ))}
      </TextField>
    </ActionDialog>
  );
}

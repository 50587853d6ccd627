import { useApi } from '@backstage/core-plugin-api';
import { Release } from '@coderunner/plugin-coderunner-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { coderunnerApiRef } from '../../api';
import { displayUser } from '../../lib/displayUser';
import { formatWhen } from '../../lib/formatWhen';
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
  const { entityRef, environment, candidates } = props;
  const api = useApi(coderunnerApiRef);
  const [number, setNumber] = useState<number | undefined>(
    props.initialNumber ?? candidates[0]?.number,
  );

  return (
    <ActionDialog
      title={`Roll back ${environment}`}
      confirmLabel="Roll back"
      destructive
      confirmDisabled={number === undefined}
      request={() =>
        api.rollback(entityRef, environment, { releaseNumber: number! })
      }
      success={`Rolling ${environment} back to release ${number}`}
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        Starts instances of the chosen release and switches the URL to them once
        they are ready, then stops the current ones. Nothing is rebuilt.
      </Typography>
      <TextField
        id="coderunner-rollback-release"
        select
        label="Release"
        value={number ?? ''}
        onChange={event => setNumber(Number(event.target.value))}
        SelectProps={{ inputProps: { 'data-testid': 'rollback-release' } }}
        fullWidth
      >
        {candidates.map(release => (
          <MenuItem key={release.id} value={release.number}>
            Release {release.number}
            {release.sourceSummary ? ` · ${release.sourceSummary}` : ''} · by{' '}
            {displayUser(release.createdBy)} {formatWhen(release.createdAt)}
          </MenuItem>
        ))}
      </TextField>
    </ActionDialog>
  );
}

import { useApi } from '@backstage/core-plugin-api';
import { Table } from '@backstage/core-components';
import {
  ConfigDiff,
  ConfigVersion,
} from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { configApiRef } from '../../api';
import { ActionPermit } from '../../hooks/useEntityPermission';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';
import { PermittedButton } from '../PermittedButton';
import { PreviewList } from './PreviewList';

/** The versions, newest first; each shows its diff and can be rolled back to (as a new version). */
export function VersionHistory(props: {
  entityRef: string;
  versions: ConfigVersion[];
  /** Whether the user may roll back (the config write permission). */
  rollbackPermit: ActionPermit;
  /** Rolls back and reports the outcome; a failure it throws is shown in the confirmation. */
  onRollback: (version: number) => Promise<void>;
}) {
  const client = useApi(configApiRef);
  const [open, setOpen] = useState<{
    version: ConfigVersion;
    diff?: ConfigDiff;
    error?: Error;
  }>();
  const [confirming, setConfirming] = useState(false);
  const latest = props.versions[0]?.version ?? 0;

  const show = async (version: ConfigVersion) => {
    setOpen({ version });
    try {
      setOpen({
        version,
        diff: await client.diff(
          props.entityRef,
          version.version - 1,
          version.version,
        ),
      });
    } catch (error) {
      setOpen({ version, error: error as Error });
    }
  };

  return (
    <>
      <Table<ConfigVersion>
        title="Versions"
        options={{
          search: false,
          paging: props.versions.length > 10,
          padding: 'dense',
        }}
        data={props.versions}
        emptyContent={
          <Alert severity="info">
            No versions yet: saving a change creates version 1.
          </Alert>
        }
        columns={[
          { title: 'Version', field: 'version', width: '10%' },
          {
            title: 'When',
            render: v => new Date(v.createdAt).toLocaleString(),
          },
          { title: 'Who', field: 'author' },
          {
            title: 'Message',
            render: v =>
              v.message ??
              (v.rollbackOf !== undefined
                ? `Roll back to ${v.rollbackOf}`
                : ''),
          },
          {
            title: 'Changed',
            render: v =>
              v.changes
                .map(c => `${c.name} (${c.scope}, ${c.change})`)
                .join(', '),
          },
          {
            // Every column of Backstage's Table sorts by default: a sort button needs a name.
            title: 'Actions',
            sorting: false,
            render: v => (
              <Button size="small" onClick={() => show(v)}>
                Diff
              </Button>
            ),
          },
        ]}
      />
      {open && (
        <Dialog open onClose={() => setOpen(undefined)} fullWidth maxWidth="sm">
          <DialogTitle>
            Version {open.version.version} compared with{' '}
            {open.version.version - 1}
          </DialogTitle>
          <DialogContent>
            {open.error && <Alert severity="error">{open.error.message}</Alert>}
            {open.diff && (
              <PreviewList
                entries={open.diff.entries}
                empty="No differences."
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(undefined)}>Close</Button>
            <PermittedButton
              permit={props.rollbackPermit}
              color="secondary"
              disabled={open.version.version === latest}
              onClick={() => setConfirming(true)}
            >
              Roll back to this version
            </PermittedButton>
          </DialogActions>
        </Dialog>
      )}
      {open && confirming && (
        <ActionDialog
          title={`Roll back to version ${open.version.version}`}
          confirmLabel="Roll back"
          request={() => props.onRollback(open.version.version)}
          onClose={() => setConfirming(false)}
          onDone={() => setOpen(undefined)}
        >
          Make version {open.version.version} current again, as a new version?
        </ActionDialog>
      )}
    </>
  );
}

import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Table } from '@backstage/core-components';
import { ConfigVersion } from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useVersionDiff } from '../../hooks/useConfigRequests';
import { ActionPermit } from '../../hooks/useEntityPermission';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';
import { PermittedButton } from '../PermittedButton';
import { PreviewList } from './PreviewList';
import { coderunnerTranslationRef } from '../../translation';
import { errorTitle } from '../../lib/errorTitle';

/** The versions, newest first; each shows its diff and can be rolled back to (as a new version). */
export function VersionHistory(props: {
  entityRef: string;
  versions: ConfigVersion[];
  /** Whether the user may roll back (the config write permission). */
  rollbackPermit: ActionPermit;
  /** Rolls back and reports the outcome; a failure it throws is shown in the confirmation. */
  onRollback: (version: number) => Promise<void>;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const diff = useVersionDiff(props.entityRef);
  const [open, setOpen] = useState<ConfigVersion>();
  const [confirming, setConfirming] = useState(false);
  const latest = props.versions[0]?.version ?? 0;

  const show = (version: ConfigVersion) => {
    setOpen(version);
    return diff.run(version.version);
  };
  const close = () => {
    setOpen(undefined);
    diff.reset();
  };

  return (
    <>
      <Table<ConfigVersion>
        title={t('configTab.versions.title')}
        options={{
          search: false,
          paging: props.versions.length > 10,
          padding: 'dense',
        }}
        data={props.versions}
        emptyContent={
          <Alert severity="info">{t('configTab.versions.empty')}</Alert>
        }
        columns={[
          {
            title: t('configTab.versions.version'),
            field: 'version',
            width: '10%',
          },
          {
            title: t('configTab.versions.when'),
            render: v => new Date(v.createdAt).toLocaleString(),
          },
          { title: t('configTab.versions.who'), field: 'author' },
          {
            title: t('configTab.versions.message'),
            render: v =>
              v.message ??
              (v.rollbackOf !== undefined
                ? t('configTab.versions.rollbackOf', {
                    version: String(v.rollbackOf),
                  })
                : ''),
          },
          {
            title: t('configTab.versions.changed'),
            render: v =>
              v.changes
                .map(c =>
                  t('configTab.versions.changeItem', {
                    name: c.name,
                    scope: c.scope,
                    change: c.change,
                  }),
                )
                .join(', '),
          },
          {
            // Every column of Backstage's Table sorts by default: a sort button needs a name.
            title: t('configTab.versions.actions'),
            sorting: false,
            render: v => (
              <Button size="small" onClick={() => show(v)}>
                {t('configTab.versions.diff')}
              </Button>
            ),
          },
        ]}
      />
      {open && (
        <Dialog open onClose={close} fullWidth maxWidth="sm">
          <DialogTitle>
            {t('configTab.versions.diffTitle', {
              version: String(open.version),
              previous: String(open.version - 1),
            })}
          </DialogTitle>
          <DialogContent>
            {diff.error && (
              <Alert severity="error">{errorTitle(diff.error, t)}</Alert>
            )}
            {diff.value && (
              <PreviewList
                entries={diff.value.entries}
                empty={t('configTab.versions.noDifferences')}
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>{t('configTab.dialogs.close')}</Button>
            <PermittedButton
              permit={props.rollbackPermit}
              color="secondary"
              disabled={open.version === latest}
              onClick={() => setConfirming(true)}
            >
              {t('configTab.versions.rollBackToThis')}
            </PermittedButton>
          </DialogActions>
        </Dialog>
      )}
      {open && confirming && (
        <ActionDialog
          title={t('configTab.versions.rollbackTitle', {
            version: String(open.version),
          })}
          confirmLabel={t('configTab.versions.rollbackConfirm')}
          request={() => props.onRollback(open.version)}
          onClose={() => setConfirming(false)}
          onDone={close}
        >
          {t('configTab.versions.rollbackQuestion', {
            version: String(open.version),
          })}
        </ActionDialog>
      )}
    </>
  );
}

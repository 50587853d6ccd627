import {
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { alertApiRef, errorApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  ConfigChange,
  ConfigSaveResponse,
  SHARED_CONFIG_SCOPE,
} from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useConfig } from '../../hooks/useConfig';
import { useConfigMutations } from '../../hooks/useConfigRequests';
import { useEntityPermission } from '../../hooks/useEntityPermission';
import { PermittedButton } from '../PermittedButton';
import { AuditList } from './AuditList';
import { EncryptionStatus } from './EncryptionStatus';
import { Draft, DraftRow, rowsOf, withChanges } from './draft';
import { ExportDialog } from './ExportDialog';
import { RevealSecretDialog } from './RevealSecretDialog';
import { TemplateDialog } from './TemplateDialog';
import { TextImportDialog } from './TextImportDialog';
import { VariableDialog } from './VariableDialog';
import { VersionHistory } from './VersionHistory';
import { coderunnerTranslationRef } from '../../translation';

type OpenDialog =
  | { kind: 'variable'; row?: DraftRow }
  | { kind: 'bulk' }
  | { kind: 'import' }
  | { kind: 'template' }
  | { kind: 'export' }
  | { kind: 'reveal'; name: string };

function describe(row: DraftRow): 'toDelete' | 'changed' | 'new' {
  if (row.change && 'delete' in row.change) return 'toDelete';
  return row.saved ? 'changed' : 'new';
}

/** The variables of every scope, an unsaved draft of changes, and Save / Save and apply. */
export function ConfigEditor(props: {
  entityRef: string;
  environments: string[];
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const mutations = useConfigMutations(props.entityRef);
  const alertApi = useApi(alertApiRef);
  const errorApi = useApi(errorApiRef);
  const { snapshot, versions, audit, loading, error, reload } = useConfig(
    props.entityRef,
  );
  const scopes = [SHARED_CONFIG_SCOPE, ...props.environments];
  const [scope, setScope] = useState(
    props.environments[0] ?? SHARED_CONFIG_SCOPE,
  );
  const [draft, setDraft] = useState<Draft>(new Map());
  const [message, setMessage] = useState('');
  const [dialog, setDialog] = useState<OpenDialog>();
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<ConfigSaveResponse>();
  const canWrite = useEntityPermission('configWrite', props.entityRef);
  const canReveal = useEntityPermission('revealSecrets', props.entityRef);
  const canDeploy = useEntityPermission('deploy', props.entityRef);
  // Applying saved config rolls the instances, so it needs both permissions.
  const canApply = canWrite.allowed ? canDeploy : canWrite;

  if (error) return <ResponseErrorPanel error={error} />;
  if (!snapshot) return loading ? <Progress /> : null;

  const saved = snapshot.scopes[scope] ?? [];
  const rows = rowsOf(scope, saved, draft);
  const add = (changes: ConfigChange[]) =>
    setDraft(d => withChanges(d, changes));
  const undo = (name: string) =>
    setDraft(d => {
      const next = new Map(d);
      next.delete(`${scope}/${name}`);
      return next;
    });

  const report = (response: ConfigSaveResponse) => {
    setResult(response);
    const version = String(response.version.version);
    const rollouts = response.applied
      .map(a =>
        t('configTab.rolloutItem', {
          environment: a.environment,
          releaseNumber: String(a.releaseNumber),
        }),
      )
      .join(', ');
    alertApi.post({
      message: rollouts
        ? t('configTab.savedAndRolling', { version, rollouts })
        : t('configTab.saved', { version }),
      severity: 'success',
      display: 'transient',
    });
    reload();
  };

  const save = async (apply: boolean) => {
    setSaving(true);
    try {
      const response = await mutations.save({
        changes: [...draft.values()],
        message: message || undefined,
        apply,
        expectedVersion: snapshot.version,
      });
      setDraft(new Map());
      setMessage('');
      report(response);
    } catch (e) {
      errorApi.post(e as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box data-testid="coderunner-config-editor">
      <Tabs
        value={scope}
        onChange={(_e, value) => setScope(value)}
        indicatorColor="primary"
        // On a phone's width the environments scroll instead of being cut off.
        variant="scrollable"
        scrollButtons="auto"
      >
        {scopes.map(s => (
          <Tab
            key={s}
            value={s}
            label={s === SHARED_CONFIG_SCOPE ? t('configTab.sharedScope') : s}
          />
        ))}
      </Tabs>
      <Typography variant="caption" component="p" style={{ margin: '8px 0' }}>
        {t('configTab.overrideOrder', {
          order: snapshot.overrideOrder.join(' → '),
        })}
      </Typography>
      <Box display="flex" style={{ gap: 8 }} mb={1} flexWrap="wrap">
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          color="primary"
          onClick={() => setDialog({ kind: 'variable' })}
        >
          {t('configTab.addVariable')}
        </PermittedButton>
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          onClick={() => setDialog({ kind: 'bulk' })}
        >
          {t('configTab.editAsEnv')}
        </PermittedButton>
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          onClick={() => setDialog({ kind: 'template' })}
        >
          {t('configTab.templates')}
        </PermittedButton>
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          onClick={() => setDialog({ kind: 'import' })}
        >
          {t('configTab.import')}
        </PermittedButton>
        <Button
          variant="outlined"
          onClick={() => setDialog({ kind: 'export' })}
        >
          {t('configTab.export')}
        </Button>
      </Box>
      <Table<DraftRow>
        title={
          scope === SHARED_CONFIG_SCOPE
            ? t('configTab.table.titleShared')
            : t('configTab.table.title', { scope })
        }
        options={{ search: false, paging: false, padding: 'dense' }}
        data={rows}
        emptyContent={<Box p={2}>{t('configTab.table.empty', { scope })}</Box>}
        columns={[
          {
            title: t('configTab.table.name'),
            render: r => <code>{r.name}</code>,
          },
          {
            title: t('configTab.table.value'),
            render: r => {
              const secret =
                r.change && !('delete' in r.change)
                  ? r.change.secret
                  : r.saved?.secret;
              if (secret) {
                return r.change && !('delete' in r.change)
                  ? t('configTab.table.newSecret')
                  : t('configTab.table.savedSecret', {
                      fingerprint: r.saved?.fingerprint ?? '',
                    });
              }
              return r.change && !('delete' in r.change)
                ? r.change.value
                : r.saved?.value;
            },
          },
          {
            title: t('configTab.table.updated'),
            render: r =>
              r.saved
                ? t('configTab.table.updatedBy', {
                    when: new Date(r.saved.updatedAt).toLocaleString(),
                    who: r.saved.updatedBy,
                    version: String(r.saved.version),
                  })
                : '',
          },
          {
            // Every column of Backstage's Table sorts by default; a sort button needs a name, and
            // these computed columns have no field to sort by.
            title: t('configTab.table.unsavedChange'),
            sorting: false,
            render: r =>
              r.change ? (
                <Chip
                  size="small"
                  label={t(`configTab.table.${describe(r)}`)}
                  color="primary"
                />
              ) : null,
          },
          {
            title: t('configTab.table.actions'),
            sorting: false,
            render: r => (
              <>
                <PermittedButton
                  permit={canWrite}
                  size="small"
                  onClick={() => setDialog({ kind: 'variable', row: r })}
                >
                  {t('configTab.table.edit')}
                </PermittedButton>
                {r.change ? (
                  <Button size="small" onClick={() => undo(r.name)}>
                    {t('configTab.table.undo')}
                  </Button>
                ) : (
                  <PermittedButton
                    permit={canWrite}
                    size="small"
                    onClick={() => add([{ scope, name: r.name, delete: true }])}
                  >
                    {t('configTab.table.delete')}
                  </PermittedButton>
                )}
                {r.saved?.secret && (
                  <PermittedButton
                    permit={canReveal}
                    size="small"
                    onClick={() => setDialog({ kind: 'reveal', name: r.name })}
                  >
                    {t('configTab.table.reveal')}
                  </PermittedButton>
                )}
              </>
            ),
          },
        ]}
      />
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
        my={2}
      >
        <TextField
          label={t('configTab.message.label')}
          value={message}
          onChange={e => setMessage(e.target.value)}
          size="small"
          // Its own line on a phone rather than squeezed beside the buttons.
          style={{ flex: '1 1 240px' }}
          inputProps={{ 'aria-label': t('configTab.message.ariaLabel') }}
        />
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          disabled={draft.size === 0 || saving}
          onClick={() => save(false)}
        >
          {t('configTab.saveWithoutApplying')}
        </PermittedButton>
        <PermittedButton
          permit={canApply}
          variant="contained"
          color="primary"
          disabled={draft.size === 0 || saving}
          onClick={() => save(true)}
        >
          {t('configTab.saveAndApply')}
        </PermittedButton>
      </Box>
      {draft.size > 0 && (
        <Typography variant="body2">
          {t('configTab.unsavedChanges', {
            count: draft.size,
            changes: [...draft.values()]
              .map(c =>
                t('configTab.unsavedChangeItem', {
                  name: c.name,
                  scope: c.scope,
                }),
              )
              .join(', '),
          })}
        </Typography>
      )}
      {result && result.pending.length > 0 && (
        <Alert
          severity="info"
          action={result.pending.map(environment => (
            <PermittedButton
              permit={canApply}
              key={environment}
              size="small"
              onClick={async () => {
                try {
                  const applied = await mutations.apply(environment);
                  alertApi.post({
                    message: t('configTab.applying', {
                      environment,
                      releaseNumber: String(applied.releaseNumber),
                    }),
                    severity: 'success',
                    display: 'transient',
                  });
                  setResult({
                    ...result,
                    pending: result.pending.filter(p => p !== environment),
                  });
                  reload();
                } catch (e) {
                  errorApi.post(e as Error);
                }
              }}
            >
              {t('configTab.applyTo', { environment })}
            </PermittedButton>
          ))}
        >
          {t('configTab.pending', {
            version: String(result.version.version),
            environments: result.pending.join(', '),
          })}
        </Alert>
      )}
      <Box mt={3}>
        <VersionHistory
          entityRef={props.entityRef}
          versions={versions ?? []}
          rollbackPermit={canWrite}
          onRollback={async version =>
            report(await mutations.rollback(version))
          }
        />
      </Box>
      <Box mt={3}>
        <AuditList entries={audit ?? []} />
      </Box>
      <Box mt={3}>
        <EncryptionStatus />
      </Box>
      {dialog?.kind === 'variable' && (
        <VariableDialog
          scope={scope}
          existing={
            dialog.row && {
              name: dialog.row.name,
              secret: dialog.row.saved?.secret ?? false,
              value: dialog.row.saved?.value,
            }
          }
          takenNames={rows.map(r => r.name)}
          onSave={change => add([change])}
          onClose={() => setDialog(undefined)}
        />
      )}
      {(dialog?.kind === 'bulk' || dialog?.kind === 'import') && (
        <TextImportDialog
          entityRef={props.entityRef}
          scope={scope}
          bulk={
            dialog.kind === 'bulk'
              ? {
                  initialText: saved
                    .filter(v => !v.secret)
                    .map(v => `${v.name}=${JSON.stringify(v.value)}`)
                    .join('\n'),
                }
              : undefined
          }
          onAdd={add}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'template' && (
        <TemplateDialog
          entityRef={props.entityRef}
          scope={scope}
          onAdd={add}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'reveal' && (
        <RevealSecretDialog
          entityRef={props.entityRef}
          scope={scope}
          name={dialog.name}
          onRevealed={reload}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'export' && (
        <ExportDialog
          entityRef={props.entityRef}
          scope={scope}
          revealPermit={canReveal}
          onClose={() => setDialog(undefined)}
        />
      )}
    </Box>
  );
}

import {
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { alertApiRef, errorApiRef, useApi } from '@backstage/core-plugin-api';
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
import { configApiRef } from '../../api';
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

type OpenDialog =
  | { kind: 'variable'; row?: DraftRow }
  | { kind: 'bulk' }
  | { kind: 'import' }
  | { kind: 'template' }
  | { kind: 'export' }
  | { kind: 'reveal'; name: string };

function describe(row: DraftRow): string {
  if (!row.change) return '';
  if ('delete' in row.change) return 'to delete';
  return row.saved ? 'changed' : 'new';
}

/** The variables of every scope, an unsaved draft of changes, and Save / Save and apply. */
export function ConfigEditor(props: {
  entityRef: string;
  environments: string[];
}) {
  const client = useApi(configApiRef);
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
    const applied = response.applied
      .map(a => `${a.environment} (release ${a.releaseNumber})`)
      .join(', ');
    alertApi.post({
      message: `Saved version ${response.version.version}${
        applied ? `; rolling out to ${applied}` : ''
      }`,
      severity: 'success',
      display: 'transient',
    });
    reload();
  };

  const save = async (apply: boolean) => {
    setSaving(true);
    try {
      const response = await client.saveChanges(props.entityRef, {
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
            label={s === SHARED_CONFIG_SCOPE ? 'Shared (all environments)' : s}
          />
        ))}
      </Tabs>
      <Typography variant="caption" component="p" style={{ margin: '8px 0' }}>
        Override order, lowest first: {snapshot.overrideOrder.join(' → ')}.
      </Typography>
      <Box display="flex" style={{ gap: 8 }} mb={1} flexWrap="wrap">
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          color="primary"
          onClick={() => setDialog({ kind: 'variable' })}
        >
          Add variable
        </PermittedButton>
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          onClick={() => setDialog({ kind: 'bulk' })}
        >
          Edit as .env
        </PermittedButton>
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          onClick={() => setDialog({ kind: 'template' })}
        >
          Templates
        </PermittedButton>
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          onClick={() => setDialog({ kind: 'import' })}
        >
          Import
        </PermittedButton>
        <Button
          variant="outlined"
          onClick={() => setDialog({ kind: 'export' })}
        >
          Export
        </Button>
      </Box>
      <Table<DraftRow>
        title={`Variables of ${
          scope === SHARED_CONFIG_SCOPE ? 'every environment' : scope
        }`}
        options={{ search: false, paging: false, padding: 'dense' }}
        data={rows}
        emptyContent={
          <Box p={2}>
            Nothing set in {scope} yet. Add a variable, apply a template or
            import a .env file.
          </Box>
        }
        columns={[
          { title: 'Name', render: r => <code>{r.name}</code> },
          {
            title: 'Value',
            render: r => {
              const secret =
                r.change && !('delete' in r.change)
                  ? r.change.secret
                  : r.saved?.secret;
              if (secret) {
                return r.change && !('delete' in r.change)
                  ? 'secret (new value, unsaved)'
                  : `secret · set · ${r.saved?.fingerprint}`;
              }
              return r.change && !('delete' in r.change)
                ? r.change.value
                : r.saved?.value;
            },
          },
          {
            title: 'Updated',
            render: r =>
              r.saved
                ? `${new Date(r.saved.updatedAt).toLocaleString()} by ${
                    r.saved.updatedBy
                  } (v${r.saved.version})`
                : '',
          },
          {
            // Every column of Backstage's Table sorts by default; a sort button needs a name, and
            // these computed columns have no field to sort by.
            title: 'Unsaved change',
            sorting: false,
            render: r =>
              r.change ? (
                <Chip size="small" label={describe(r)} color="primary" />
              ) : null,
          },
          {
            title: 'Actions',
            sorting: false,
            render: r => (
              <>
                <PermittedButton
                  permit={canWrite}
                  size="small"
                  onClick={() => setDialog({ kind: 'variable', row: r })}
                >
                  Edit
                </PermittedButton>
                {r.change ? (
                  <Button size="small" onClick={() => undo(r.name)}>
                    Undo
                  </Button>
                ) : (
                  <PermittedButton
                    permit={canWrite}
                    size="small"
                    onClick={() => add([{ scope, name: r.name, delete: true }])}
                  >
                    Delete
                  </PermittedButton>
                )}
                {r.saved?.secret && (
                  <PermittedButton
                    permit={canReveal}
                    size="small"
                    onClick={() => setDialog({ kind: 'reveal', name: r.name })}
                  >
                    Reveal
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
          label="What changed and why"
          value={message}
          onChange={e => setMessage(e.target.value)}
          size="small"
          // Its own line on a phone rather than squeezed beside the buttons.
          style={{ flex: '1 1 240px' }}
          inputProps={{ 'aria-label': 'Change message' }}
        />
        <PermittedButton
          permit={canWrite}
          variant="outlined"
          disabled={draft.size === 0 || saving}
          onClick={() => save(false)}
        >
          Save without applying
        </PermittedButton>
        <PermittedButton
          permit={canApply}
          variant="contained"
          color="primary"
          disabled={draft.size === 0 || saving}
          onClick={() => save(true)}
        >
          Save and apply
        </PermittedButton>
      </Box>
      {draft.size > 0 && (
        <Typography variant="body2">
          {draft.size} unsaved change{draft.size === 1 ? '' : 's'}:{' '}
          {[...draft.values()].map(c => `${c.name} (${c.scope})`).join(', ')}
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
                  const applied = await client.apply(
                    props.entityRef,
                    environment,
                  );
                  alertApi.post({
                    message: `Applying to ${environment}: release ${applied.releaseNumber}`,
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
              Apply to {environment}
            </PermittedButton>
          ))}
        >
          Version {result.version.version} is saved but not running in{' '}
          {result.pending.join(', ')}.
        </Alert>
      )}
      <Box mt={3}>
        <VersionHistory
          entityRef={props.entityRef}
          versions={versions ?? []}
          rollbackPermit={canWrite}
          onRollback={async version =>
            report(await client.rollback(props.entityRef, version, false))
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

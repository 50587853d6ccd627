import { Table, TableColumn } from '@backstage/core-components';
import { Deployment, Release } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ActionPermit } from '../../hooks/useEntityPermission';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { PermittedButton } from '../PermittedButton';
import { ReleaseStatusLabel } from '../StatusLabel';
import { canRollBackTo } from './rollbackCandidates';

/** An environment's releases, newest first, with rollback and build log per row. */
export function ReleaseHistory(props: {
  deployment: Deployment;
  releases: Release[];
  /** Whether the user may roll back (the deploy permission). */
  rollbackPermit: ActionPermit;
  onRollback: (release: Release) => void;
  onShowBuildLog: (release: Release) => void;
}) {
  const { deployment, releases } = props;
  const columns: TableColumn<Release>[] = [
    {
      title: 'Release',
      field: 'number',
      render: release => (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <span>{release.number}</span>
          {release.id === deployment.activeRelease?.id && (
            <Chip size="small" color="primary" label="Active" />
          )}
          {release.id === deployment.targetRelease?.id && (
            <Chip size="small" label="Rolling out" />
          )}
          {release.artifactPrunedAt && (
            <Chip
              size="small"
              variant="outlined"
              label="Artifact pruned"
              title={`Its artifact was deleted ${formatWhen(
                release.artifactPrunedAt,
              )} to keep storage bounded (only the newest releases keep theirs), so it cannot be rolled back to; deploy again instead.`}
            />
          )}
        </Box>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: release => <ReleaseStatusLabel status={release.status} />,
    },
    {
      title: 'Created',
      field: 'createdAt',
      render: release => (
        <span title={formatExactTime(release.createdAt)}>
          by {displayUser(release.createdBy)}, {formatWhen(release.createdAt)}
        </span>
      ),
    },
    {
      title: 'Source',
      field: 'sourceSummary',
      render: release => release.sourceSummary ?? release.sourceRevision ?? '',
    },
    {
      title: 'Failure',
      field: 'failureReason',
      render: release =>
        release.failureReason && (
          <Typography
            variant="caption"
            component="pre"
            style={{ whiteSpace: 'pre-wrap', margin: 0 }}
          >
            {release.failureReason}
          </Typography>
        ),
    },
    {
      title: 'Actions',
      sorting: false,
      render: release => (
        <Box display="flex" style={{ gap: 8 }}>
          {canRollBackTo(release, deployment) && (
            <PermittedButton
              permit={props.rollbackPermit}
              size="small"
              variant="outlined"
              onClick={() => props.onRollback(release)}
              aria-label={`Rollback to release ${release.number}`}
            >
              Rollback
            </PermittedButton>
          )}
          <Button
            size="small"
            onClick={() => props.onShowBuildLog(release)}
            aria-label={`Build log of release ${release.number}`}
          >
            Build log
          </Button>
        </Box>
      ),
    },
  ];
  return (
    <div data-testid="coderunner-release-history">
      <Table<Release>
        title="Release history"
        columns={columns}
        data={releases}
        options={{
          search: false,
          paging: releases.length > 10,
          pageSize: 10,
          padding: 'dense',
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">No releases yet.</Typography>
          </Box>
        }
      />
    </div>
  );
}

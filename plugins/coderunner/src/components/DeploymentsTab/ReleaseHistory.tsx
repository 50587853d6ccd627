import { Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment, Release } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ActionPermit } from '../../hooks/useEntityPermission';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { coderunnerTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { deployment, releases } = props;
  const columns: TableColumn<Release>[] = [
    {
      title: t('deploymentsTab.releases.release'),
      field: 'number',
      render: release => (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <span>{release.number}</span>
          {release.id === deployment.activeRelease?.id && (
            <Chip
              size="small"
              color="primary"
              label={t('deploymentsTab.releases.active')}
            />
          )}
          {release.id === deployment.targetRelease?.id && (
            <Chip
              size="small"
              label={t('deploymentsTab.releases.rollingOut')}
            />
          )}
          {release.artifactPrunedAt && (
            <Chip
              size="small"
              variant="outlined"
              label={t('deploymentsTab.releases.artifactPruned')}
              title={t('deploymentsTab.releases.artifactPrunedHelp', {
                when: formatWhen(release.artifactPrunedAt, t),
              })}
            />
          )}
        </Box>
      ),
    },
    {
      title: t('deploymentsTab.releases.status'),
      field: 'status',
      render: release => <ReleaseStatusLabel status={release.status} />,
    },
    {
      title: t('deploymentsTab.releases.created'),
      field: 'createdAt',
      render: release => (
        <span title={formatExactTime(release.createdAt)}>
          {t('deploymentsTab.releases.createdBy', {
            user: displayUser(release.createdBy, t),
            when: formatWhen(release.createdAt, t),
          })}
        </span>
      ),
    },
    {
      title: t('deploymentsTab.releases.source'),
      field: 'sourceSummary',
      render: release => release.sourceSummary ?? release.sourceRevision ?? '',
    },
    {
      title: t('deploymentsTab.releases.failure'),
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
      title: t('deploymentsTab.releases.actions'),
      sorting: false,
      render: release => (
        <Box display="flex" style={{ gap: 8 }}>
          {canRollBackTo(release, deployment) && (
            <PermittedButton
              permit={props.rollbackPermit}
              size="small"
              variant="outlined"
              onClick={() => props.onRollback(release)}
              aria-label={t('deploymentsTab.releases.rollbackLabel', {
                number: String(release.number),
              })}
            >
              {t('deploymentsTab.releases.rollback')}
            </PermittedButton>
          )}
          <Button
            size="small"
            onClick={() => props.onShowBuildLog(release)}
            aria-label={t('deploymentsTab.releases.buildLogLabel', {
              number: String(release.number),
            })}
          >
            {t('deploymentsTab.releases.buildLog')}
          </Button>
        </Box>
      ),
    },
  ];
  return (
    <div data-testid="coderunner-release-history">
      <Table<Release>
        title={t('deploymentsTab.releases.title')}
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
            <Typography variant="body2">
              {t('deploymentsTab.releases.empty')}
            </Typography>
          </Box>
        }
      />
    </div>
  );
}

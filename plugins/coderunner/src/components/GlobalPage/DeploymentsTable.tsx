import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { coderunnerTranslationRef } from '../../translation';
import { DeploymentStatusLabel } from '../StatusLabel';

/** The table's columns, in the app's language. */
function useColumns(): TableColumn<Deployment>[] {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return useMemo(
    () => [
      {
        title: t('globalPage.table.component'),
        field: 'entityRef',
        highlight: true,
        render: d => <EntityRefLink entityRef={d.entityRef} />,
      },
      { title: t('globalPage.table.environment'), field: 'environment' },
      {
        title: t('globalPage.table.status'),
        field: 'status',
        render: d => <DeploymentStatusLabel status={d.status} />,
      },
      {
        title: t('globalPage.table.url'),
        field: 'url',
        render: d =>
          d.url && (
            <Link to={d.url} target="_blank" rel="noopener noreferrer">
              {d.url}
            </Link>
          ),
      },
      {
        title: t('globalPage.table.release'),
        field: 'activeRelease.number',
        type: 'numeric',
        align: 'left',
      },
      {
        title: t('globalPage.table.instances'),
        sorting: false,
        // Desired is what scaling (or a hold) asks for; ready is what serves now.
        render: d => {
          const counts = {
            ready: String(d.instances.filter(i => i.state === 'ready').length),
            desired: String(d.desiredInstances),
          };
          return (
            <span title={t('globalPage.table.instancesHelp', counts)}>
              {t('globalPage.table.instancesCount', counts)}
            </span>
          );
        },
      },
      {
        title: t('globalPage.table.deployed'),
        field: 'deployedAt',
        render: d =>
          d.deployedAt && (
            <span title={formatExactTime(d.deployedAt)}>
              {t('globalPage.table.deployedBy', {
                user: displayUser(d.deployedBy, t),
                when: formatWhen(d.deployedAt, t),
              })}
            </span>
          ),
      },
    ],
    [t],
  );
}

/**
 * One page of the deployments; the filters and paging are the server's (see
 * `useDeploymentPages`), so the table itself neither filters nor pages.
 */
export function DeploymentsTable(props: {
  deployments: Deployment[];
  loading: boolean;
  pageNumber: number;
  next?: () => void;
  previous?: () => void;
}) {
  const { pageNumber, next, previous } = props;
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const columns = useColumns();
  return (
    <>
      <Table<Deployment>
        title={t('globalPage.table.title')}
        columns={columns}
        data={props.deployments}
        isLoading={props.loading}
        emptyContent={
          <Box p={2}>
            <Typography>{t('globalPage.table.noMatch')}</Typography>
          </Box>
        }
        options={{ paging: false, search: false, padding: 'dense' }}
      />
      {(next || previous || pageNumber > 1) && (
        <Box
          display="flex"
          alignItems="center"
          justifyContent="flex-end"
          gridGap={8}
          mt={1}
          component="nav"
          aria-label={t('globalPage.table.pages')}
        >
          <Button
            size="small"
            variant="outlined"
            disabled={!previous}
            onClick={previous}
          >
            {t('globalPage.table.previous')}
          </Button>
          <Typography variant="body2" aria-live="polite">
            {t('globalPage.table.page', { number: String(pageNumber) })}
          </Typography>
          <Button
            size="small"
            variant="outlined"
            disabled={!next}
            onClick={next}
          >
            {t('globalPage.table.next')}
          </Button>
        </Box>
      )}
    </>
  );
}

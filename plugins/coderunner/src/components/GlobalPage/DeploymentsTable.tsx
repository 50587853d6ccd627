import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { DeploymentStatusLabel } from '../StatusLabel';

const columns: TableColumn<Deployment>[] = [
  {
    title: 'Component',
    field: 'entityRef',
    highlight: true,
    render: d => <EntityRefLink entityRef={d.entityRef} />,
  },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Status',
    field: 'status',
    render: d => <DeploymentStatusLabel status={d.status} />,
  },
  {
    title: 'URL',
    field: 'url',
    render: d =>
      d.url && (
        <Link to={d.url} target="_blank" rel="noopener noreferrer">
          {d.url}
        </Link>
      ),
  },
  {
    title: 'Release',
    field: 'activeRelease.number',
    type: 'numeric',
    align: 'left',
  },
  {
    title: 'Instances',
    sorting: false,
    // Desired is what scaling (or a hold) asks for; ready is what serves now.
    render: d => {
      const ready = d.instances.filter(i => i.state === 'ready').length;
      return (
        <span
          title={`${ready} of ${d.desiredInstances} desired instances ready`}
        >
          {ready} ready / {d.desiredInstances} desired
        </span>
      );
    },
  },
  {
    title: 'Deployed',
    field: 'deployedAt',
    render: d =>
      d.deployedAt && (
        <span title={formatExactTime(d.deployedAt)}>
          by {displayUser(d.deployedBy)}, {formatWhen(d.deployedAt)}
        </span>
      ),
  },
];

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
  return (
    <>
      <Table<Deployment>
        title="Deployments"
        columns={columns}
        data={props.deployments}
        isLoading={props.loading}
        emptyContent={
          <Box p={2}>
            <Typography>No deployments match these filters.</Typography>
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
          aria-label="Deployment pages"
        >
          <Button
            size="small"
            variant="outlined"
            disabled={!previous}
            onClick={previous}
          >
            Previous
          </Button>
          <Typography variant="body2" aria-live="polite">
            Page {pageNumber}
          </Typography>
          <Button
            size="small"
            variant="outlined"
            disabled={!next}
            onClick={next}
          >
            Next
          </Button>
        </Box>
      )}
    </>
  );
}

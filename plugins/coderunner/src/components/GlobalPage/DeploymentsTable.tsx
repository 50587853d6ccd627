import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Deployment } from '@coderunner/plugin-coderunner-common';
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

/** Every deployment, filterable by environment and status and searchable. */
export function DeploymentsTable(props: { deployments: Deployment[] }) {
  return (
    <Table<Deployment>
      title={`Deployments (${props.deployments.length})`}
      columns={columns}
      data={props.deployments}
      filters={[
        { column: 'Environment', type: 'multiple-select' },
        { column: 'Status', type: 'multiple-select' },
      ]}
      options={{
        paging: props.deployments.length > 20,
        pageSize: 20,
        padding: 'dense',
      }}
    />
  );
}

import { Table } from '@backstage/core-components';
import { ConfigAuditEntry } from '@coderunner/plugin-coderunner-common';

/** Who changed, rolled back, applied, revealed or exported which names, and when; no values. */
export function AuditList(props: { entries: ConfigAuditEntry[] }) {
  return (
    <Table<ConfigAuditEntry>
      title="History"
      options={{
        search: true,
        paging: props.entries.length > 10,
        padding: 'dense',
      }}
      data={props.entries}
      emptyContent={
        <div style={{ padding: 16 }}>Nothing has happened yet.</div>
      }
      columns={[
        { title: 'When', render: e => new Date(e.at).toLocaleString() },
        { title: 'Who', field: 'actor' },
        { title: 'Action', field: 'action' },
        { title: 'Version', render: e => e.version ?? '' },
        { title: 'Where', render: e => e.scopes.join(', ') },
        { title: 'Names', render: e => e.names.join(', ') },
      ]}
    />
  );
}

import { Table } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ConfigAuditEntry } from '@coderunner/plugin-coderunner-common';
import { coderunnerTranslationRef } from '../../translation';

/** Who changed, rolled back, applied, revealed or exported which names, and when; no values. */
export function AuditList(props: { entries: ConfigAuditEntry[] }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <Table<ConfigAuditEntry>
      title={t('configTab.audit.title')}
      options={{
        search: true,
        paging: props.entries.length > 10,
        padding: 'dense',
      }}
      data={props.entries}
      emptyContent={
        <div style={{ padding: 16 }}>{t('configTab.audit.empty')}</div>
      }
      columns={[
        {
          title: t('configTab.audit.when'),
          render: e => new Date(e.at).toLocaleString(),
        },
        { title: t('configTab.audit.who'), field: 'actor' },
        { title: t('configTab.audit.action'), field: 'action' },
        { title: t('configTab.audit.version'), render: e => e.version ?? '' },
        { title: t('configTab.audit.where'), render: e => e.scopes.join(', ') },
        { title: t('configTab.audit.names'), render: e => e.names.join(', ') },
      ]}
    />
  );
}

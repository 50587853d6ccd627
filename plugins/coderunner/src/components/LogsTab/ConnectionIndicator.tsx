import {
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { LogConnectionState } from '../../api/LogStreamClient';
import { coderunnerTranslationRef } from '../../translation';

/** Whether the view is live, connecting, or reconnecting after a drop (it resumes by itself). */
export function ConnectionIndicator(props: { state: LogConnectionState }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  switch (props.state) {
    case 'live':
      return <StatusOK>{t('logsTab.connection.live')}</StatusOK>;
    case 'connecting':
      return (
        <StatusPending>{t('logsTab.connection.connecting')}</StatusPending>
      );
    default:
      return (
        <StatusWarning>{t('logsTab.connection.reconnecting')}</StatusWarning>
      );
  }
}

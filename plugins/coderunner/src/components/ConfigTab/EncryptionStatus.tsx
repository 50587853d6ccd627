import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEncryptionStatus } from '../../hooks/useEncryptionStatus';
import { coderunnerTranslationRef } from '../../translation';

/**
 * Which key encrypts stored values, and while a key rotation runs, how many values are on
 * the new key already. Says so loudly when a generated development key is in use.
 */
export function EncryptionStatus() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { status, problem } = useEncryptionStatus();

  if (problem) {
    return (
      <Typography variant="caption">
        {t('configTab.encryption.unavailable', { problem })}
      </Typography>
    );
  }
  if (!status) return null;
  const moving = status.valuesOnActiveKey < status.totalValues;
  const percent = status.totalValues
    ? Math.round((100 * status.valuesOnActiveKey) / status.totalValues)
    : 100;
  return (
    <Box data-testid="coderunner-encryption-status">
      <Typography variant="body2">
        {status.keys.length > 1
          ? t('configTab.encryption.activeKeyOfMany', {
              key: <strong>{status.activeKeyId}</strong>,
              keys: String(status.keys.length),
            })
          : t('configTab.encryption.activeKey', {
              key: <strong>{status.activeKeyId}</strong>,
            })}
      </Typography>
      {status.developmentKey && (
        <Alert severity="warning" style={{ marginTop: 8 }}>
          {t('configTab.encryption.developmentKey')}
        </Alert>
      )}
      {moving && (
        <Box mt={1}>
          <Typography variant="body2">
            {t(
              status.rotation.running
                ? 'configTab.encryption.reencrypting'
                : 'configTab.encryption.reencryptingPaused',
              {
                key: status.activeKeyId,
                done: String(status.valuesOnActiveKey),
                total: String(status.totalValues),
                percent: String(percent),
              },
            )}
          </Typography>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label={t('configTab.encryption.progress')}
          />
        </Box>
      )}
      {status.rotation.lastError && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          {t('configTab.encryption.lastError', {
            error: status.rotation.lastError,
          })}
        </Alert>
      )}
    </Box>
  );
}

import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEncryptionStatus } from '../../hooks/useEncryptionStatus';

/**
 * Which key encrypts stored values, and while a key rotation runs, how many values are on
 * the new key already. Says so loudly when a generated development key is in use.
 */
export function EncryptionStatus() {
  const { status, problem } = useEncryptionStatus();

  if (problem) {
    return (
      <Typography variant="caption">
        Encryption status unavailable: {problem}
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
        Stored values are encrypted with AES-256-GCM under key{' '}
        <strong>{status.activeKeyId}</strong>
        {status.keys.length > 1
          ? ` (${status.keys.length} keys configured)`
          : ''}
        .
      </Typography>
      {status.developmentKey && (
        <Alert severity="warning" style={{ marginTop: 8 }}>
          A generated development key is in use. Set
          coderunner.config.encryptionKeys in app-config before storing real
          secrets.
        </Alert>
      )}
      {moving && (
        <Box mt={1}>
          <Typography variant="body2">
            Re-encrypting under {status.activeKeyId}: {status.valuesOnActiveKey}{' '}
            of {status.totalValues} values ({percent}%)
            {status.rotation.running
              ? ''
              : '; the next run of the rotation task continues'}
            .
          </Typography>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label="Key rotation progress"
          />
        </Box>
      )}
      {status.rotation.lastError && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          The last rotation run failed: {status.rotation.lastError}
        </Alert>
      )}
    </Box>
  );
}

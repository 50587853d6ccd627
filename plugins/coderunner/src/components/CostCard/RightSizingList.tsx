import { useApiHolder } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { costApiRef } from '../../api';

/** Right-sizing advice with the measurements it rests on; never applied by itself. */
export function RightSizingList(props: { entityRef: string }) {
  const api = useApiHolder().get(costApiRef);
  const { value } = useAsync(
    async () => (api ? api.getAdvice(props.entityRef) : []),
    [api, props.entityRef],
  );
  if (!value || value.length === 0) return null;
  return (
    <Box mt={2} data-testid="coderunner-right-sizing">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Right-sizing
      </Typography>
      {value.map(advice => (
        <Box key={advice.environment} mb={1}>
          <Typography variant="body2">
            <strong>{advice.environment}</strong>: {advice.summary}.
          </Typography>
          <Typography variant="caption" component="p">
            From {advice.evidence.samples} five-minute averages over{' '}
            {advice.evidence.days} days: CPU p50 {advice.evidence.cpuP50Percent}
            %, p95 {advice.evidence.cpuP95Percent}% of {advice.evidence.vcpus}{' '}
            vCPU; memory p95 {advice.evidence.memoryP95MiB} MiB of{' '}
            {advice.evidence.memoryCapacityMiB} MiB. Change resources.size in
            coderunner.yaml to apply it.
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

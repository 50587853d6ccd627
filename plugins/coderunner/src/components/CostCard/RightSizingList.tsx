import { useApiHolder } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { costApiRef } from '../../api';
import { coderunnerTranslationRef } from '../../translation';

/** Right-sizing advice with the measurements it rests on; never applied by itself. */
export function RightSizingList(props: { entityRef: string }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const api = useApiHolder().get(costApiRef);
  const { value } = useAsync(
    async () => (api ? api.getAdvice(props.entityRef) : []),
    [api, props.entityRef],
  );
  if (!value || value.length === 0) return null;
  return (
    <Box mt={2} data-testid="coderunner-right-sizing">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {t('costCard.rightSizing.title')}
      </Typography>
      {value.map(advice => (
        <Box key={advice.environment} mb={1}>
          <Typography variant="body2">
            {t('costCard.rightSizing.advice', {
              environment: <strong>{advice.environment}</strong>,
              summary: advice.summary,
            })}
          </Typography>
          <Typography variant="caption" component="p">
            {t('costCard.rightSizing.evidence', {
              samples: String(advice.evidence.samples),
              days: String(advice.evidence.days),
              cpuP50: String(advice.evidence.cpuP50Percent),
              cpuP95: String(advice.evidence.cpuP95Percent),
              vcpus: String(advice.evidence.vcpus),
              memoryP95: String(advice.evidence.memoryP95MiB),
              memoryCapacity: String(advice.evidence.memoryCapacityMiB),
            })}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

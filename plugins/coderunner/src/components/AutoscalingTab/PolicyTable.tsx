import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EffectiveScalingPolicy } from '@coderunner/plugin-coderunner-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { coderunnerTranslationRef } from '../../translation';
import { policyRows } from './scalingText';

/** The effective policy, one setting a row, with where each value comes from. */
export function PolicyTable(props: { policy: EffectiveScalingPolicy }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <Table size="small" aria-label={t('autoscalingTab.policy.tableLabel')}>
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col">
            {t('autoscalingTab.policy.setting')}
          </TableCell>
          <TableCell component="th" scope="col">
            {t('autoscalingTab.policy.value')}
          </TableCell>
          <TableCell component="th" scope="col">
            {t('autoscalingTab.policy.from')}
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {policyRows(props.policy, t).map(row => (
          <TableRow key={row.setting}>
            <TableCell component="th" scope="row">
              {row.setting}
            </TableCell>
            <TableCell>{row.value}</TableCell>
            <TableCell>{row.source}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

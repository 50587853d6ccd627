import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { coderunnerTranslationRef } from '../../translation';
import { DeploymentStatusLabel } from '../StatusLabel';
import { EnvironmentHealth } from './EnvironmentHealth';

/** One line per environment: its status, health, active release and URL. */
export function EnvironmentStatusList(props: {
  environments: string[];
  deployments: Deployment[];
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  // On a phone's width the table scrolls sideways rather than breaking the status and the
  // release into a letter a line.
  return (
    <TableContainer>
      <Table size="small" aria-label={t('overviewCard.tableLabel')}>
        <TableBody>
          {props.environments.map(environment => {
            const deployment = props.deployments.find(
              d => d.environment === environment,
            );
            return (
              <TableRow key={environment}>
                <TableCell
                  component="th"
                  scope="row"
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {environment}
                </TableCell>
                <TableCell style={{ minWidth: 150 }}>
                  {deployment ? (
                    <>
                      <DeploymentStatusLabel status={deployment.status} />
                      <EnvironmentHealth deployment={deployment} />
                    </>
                  ) : (
                    <Typography variant="body2" color="textSecondary">
                      {t('overviewCard.notDeployed')}
                    </Typography>
                  )}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {deployment?.activeRelease &&
                    t('overviewCard.release', {
                      number: String(deployment.activeRelease.number),
                    })}
                </TableCell>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {deployment?.url && (
                    <Link
                      to={deployment.url}
                      target="_blank"
                      rel="noopener noreferrer"
                    >
                      {deployment.url}
                    </Link>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

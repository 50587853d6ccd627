import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useEntityPermission } from '../../hooks/useEntityPermission';
import { coderunnerTranslationRef } from '../../translation';
import { PermittedButton } from '../PermittedButton';
import { DeployDialog } from './DeployDialog';

/** An environment never deployed to: says so and offers the first deploy. */
export function NotDeployedState(props: {
  entityRef: string;
  environment: string;
  onDone: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const [deploying, setDeploying] = useState(false);
  const permit = useEntityPermission('deploy', props.entityRef);
  return (
    <Box data-testid="coderunner-not-deployed">
      <Typography variant="h6" component="p" gutterBottom>
        {t('deploymentsTab.notDeployed.title', {
          environment: props.environment,
        })}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        {t('deploymentsTab.notDeployed.description')}
      </Typography>
      <PermittedButton
        permit={permit}
        variant="contained"
        color="primary"
        onClick={() => setDeploying(true)}
      >
        {t('deploymentsTab.notDeployed.deploy')}
      </PermittedButton>
      {deploying && (
        <DeployDialog
          entityRef={props.entityRef}
          environment={props.environment}
          onClose={() => setDeploying(false)}
          onDone={props.onDone}
        />
      )}
    </Box>
  );
}

import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useEntityPermission } from '../../hooks/useEntityPermission';
import { PermittedButton } from '../PermittedButton';
import { DeployDialog } from './DeployDialog';

/** An environment never deployed to: says so and offers the first deploy. */
export function NotDeployedState(props: {
  entityRef: string;
  environment: string;
  onDone: () => void;
}) {
  const [deploying, setDeploying] = useState(false);
  const permit = useEntityPermission('deploy', props.entityRef);
  return (
    <Box data-testid="coderunner-not-deployed">
      <Typography variant="h6" component="p" gutterBottom>
        Not deployed to {props.environment} yet
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Deploy builds release 1 from the component's source and its
        coderunner.yaml, starts its instances in AgentSphere sandboxes and
        serves them on a stable URL.
      </Typography>
      <PermittedButton
        permit={permit}
        variant="contained"
        color="primary"
        onClick={() => setDeploying(true)}
      >
        Deploy
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

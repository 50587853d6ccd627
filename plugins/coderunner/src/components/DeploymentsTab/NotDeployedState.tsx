import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { DeployDialog } from './DeployDialog';

/** An environment never deployed to: says so and offers the first deploy. */
export function NotDeployedState(props: {
  entityRef: string;
  environment: string;
  onDone: () => void;
}) {
  const [deploying, setDeploying] = useState(false);
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
      <Button
        variant="contained"
        color="primary"
        onClick={() => setDeploying(true)}
      >
        Deploy
      </Button>
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

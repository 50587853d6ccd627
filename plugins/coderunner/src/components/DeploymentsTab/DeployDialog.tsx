import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { coderunnerApiRef } from '../../api';
import { ActionDialog } from './ActionDialog';

/** The instance count the backend accepts. */
const MAX_INSTANCES = 100;

function instancesProblem(value: string): string | undefined {
  if (value.trim() === '') {
    return undefined;
  }
  const count = Number(value);
  return Number.isInteger(count) && count >= 1 && count <= MAX_INSTANCES
    ? undefined
    : `A whole number from 1 to ${MAX_INSTANCES}`;
}

/**
 * Asks how many instances to run, then deploys: the backend builds a new
 * release from the component's source and rolls it out.
 */
export function DeployDialog(props: {
  entityRef: string;
  environment: string;
  deployment?: Deployment;
  onClose: () => void;
  onDone: () => void;
}) {
  const { entityRef, environment, deployment } = props;
  const api = useApi(coderunnerApiRef);
  const [instances, setInstances] = useState(
    deployment ? String(deployment.desiredInstances) : '',
  );
  const problem = instancesProblem(instances);
  const name = parseEntityRef(entityRef).name;

  return (
    <ActionDialog
      title={`Deploy ${name} to ${environment}`}
      confirmLabel="Deploy"
      confirmDisabled={problem !== undefined}
      request={() =>
        api.deploy(
          entityRef,
          environment,
          instances.trim() ? { instances: Number(instances) } : {},
        )
      }
      success={`Deploying ${name} to ${environment}`}
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        Builds a new release from the component's source and its
        coderunner.yaml, starts its instances and switches the URL to them once
        they are ready; the running release keeps serving until then.
      </Typography>
      <TextField
        id="coderunner-deploy-instances"
        label="Instances"
        type="number"
        value={instances}
        onChange={event => setInstances(event.target.value)}
        error={problem !== undefined}
        helperText={
          problem ??
          (instances.trim()
            ? 'How many instances to run'
            : 'Empty: as many as coderunner.yaml asks for')
        }
        inputProps={{ min: 1, max: MAX_INSTANCES }}
        fullWidth
      />
    </ActionDialog>
  );
}

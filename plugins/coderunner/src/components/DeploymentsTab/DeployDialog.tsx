import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { coderunnerApiRef } from '../../api';
import {
  CoderunnerTranslate,
  coderunnerTranslationRef,
} from '../../translation';
import { ActionDialog } from './ActionDialog';

/** The instance count the backend accepts. */
const MAX_INSTANCES = 100;

function instancesProblem(
  value: string,
  t: CoderunnerTranslate,
): string | undefined {
  if (value.trim() === '') {
    return undefined;
  }
  const count = Number(value);
  return Number.isInteger(count) && count >= 1 && count <= MAX_INSTANCES
    ? undefined
    : t('deploymentsTab.deployDialog.instancesProblem', {
        max: String(MAX_INSTANCES),
      });
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, environment, deployment } = props;
  const api = useApi(coderunnerApiRef);
  const [instances, setInstances] = useState(
    deployment ? String(deployment.desiredInstances) : '',
  );
  const problem = instancesProblem(instances, t);
  const name = parseEntityRef(entityRef).name;

  return (
    <ActionDialog
      title={t('deploymentsTab.deployDialog.title', { name, environment })}
      confirmLabel={t('deploymentsTab.deployDialog.confirm')}
      confirmDisabled={problem !== undefined}
      request={() =>
        api.deploy(
          entityRef,
          environment,
          instances.trim() ? { instances: Number(instances) } : {},
        )
      }
      success={t('deploymentsTab.deployDialog.success', { name, environment })}
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        {t('deploymentsTab.deployDialog.description')}
      </Typography>
      <TextField
        id="coderunner-deploy-instances"
        label={t('deploymentsTab.deployDialog.instances')}
        type="number"
        value={instances}
        onChange={event => setInstances(event.target.value)}
        error={problem !== undefined}
        helperText={
          problem ??
          (instances.trim()
            ? t('deploymentsTab.deployDialog.instancesHelp')
            : t('deploymentsTab.deployDialog.instancesEmpty'))
        }
        inputProps={{ min: 1, max: MAX_INSTANCES }}
        fullWidth
      />
    </ActionDialog>
  );
}

import { stringifyEntityRef } from '@backstage/catalog-model';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { coderunnerTranslationRef } from '../../translation';
import { EntitySetupGate } from '../EntitySetupGate';
import { EnvironmentScaling } from './EnvironmentScaling';

// The picker sits on the page's grey, where the theme's subtle label grey falls short of 4.5:1
// (WCAG 1.4.3); the label takes the text colour.
const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

function AutoscalingView(props: { entityRef: string; environments: string[] }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const classes = useStyles();
  const [environment, setEnvironment] = useState(props.environments[0]);
  return (
    <>
      <Box mb={2}>
        <TextField
          select
          size="small"
          variant="outlined"
          id="coderunner-scaling-environment-select"
          label={t('autoscalingTab.environment')}
          InputLabelProps={{ className: classes.label }}
          value={environment}
          onChange={e => setEnvironment(e.target.value)}
          style={{ minWidth: 200 }}
        >
          {props.environments.map(name => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <EnvironmentScaling
        key={environment}
        entityRef={props.entityRef}
        environment={environment}
      />
    </>
  );
}

/**
 * The Autoscaling tab of a component: per environment, the instance counts,
 * the effective policy and its editor, manual holds, pause and resume, charts
 * of the targeted metrics and every decision the autoscaler took, live.
 *
 * @public
 */
export function AutoscalingTab() {
  const { entity } = useEntity();
  return (
    <div data-testid="coderunner-autoscaling-tab">
      <EntitySetupGate>
        {setup => (
          <AutoscalingView
            entityRef={stringifyEntityRef(entity)}
            environments={setup.environments}
          />
        )}
      </EntitySetupGate>
    </div>
  );
}

import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  DEPLOYMENT_STATUSES,
  DeploymentStatus,
} from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { coderunnerTranslationRef } from '../../translation';
import { DeploymentFilter } from './useDeploymentPages';

// The theme's grey for an unfocused outlined label is below 4.5:1 on the page's background
// (WCAG 1.4.3), as on the Logs tab; a focused label keeps the theme's colour.
const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

/** A filter on one value, or none ("All"). */
function FilterSelect(props: {
  /** Names the elements' ids. */
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: [string, string][];
}) {
  const classes = useStyles();
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <FormControl variant="outlined" size="small" style={{ minWidth: 150 }}>
      <InputLabel
        id={`coderunner-deployments-${props.id}`}
        className={classes.label}
      >
        {props.label}
      </InputLabel>
      <Select
        label={props.label}
        labelId={`coderunner-deployments-${props.id}`}
        SelectDisplayProps={{ id: `coderunner-deployments-${props.id}-value` }}
        value={props.value}
        onChange={e => props.onChange(String(e.target.value))}
      >
        <MenuItem value="">{t('globalPage.filters.all')}</MenuItem>
        {props.options.map(([value, text]) => (
          <MenuItem key={value} value={value}>
            {text}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/**
 * The global page's filters: text in the component's ref, the environment and the status.
 * `search` is what is typed; the page reads with it once typing pauses.
 */
export function DeploymentFilters(props: {
  search: string;
  onSearch: (text: string) => void;
  filter: DeploymentFilter;
  onFilter: (filter: DeploymentFilter) => void;
  environments: string[];
}) {
  const { filter, onFilter } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={8} mb={2}>
      <TextField
        id="coderunner-deployments-search"
        type="search"
        variant="outlined"
        size="small"
        label={t('globalPage.filters.search')}
        InputLabelProps={{ className: classes.label }}
        value={props.search}
        onChange={e => props.onSearch(e.target.value)}
        style={{ flex: '1 1 200px', maxWidth: 360 }}
      />
      <FilterSelect
        id="environment"
        label={t('globalPage.filters.environment')}
        value={filter.environment}
        onChange={environment => onFilter({ ...filter, environment })}
        options={props.environments.map(e => [e, e])}
      />
      <FilterSelect
        id="status"
        label={t('globalPage.filters.status')}
        value={filter.status}
        onChange={status =>
          onFilter({ ...filter, status: status as DeploymentStatus | '' })
        }
        options={DEPLOYMENT_STATUSES.map((status): [string, string] => [
          status,
          t(`statusLabel.deployment.${status}`),
        ])}
      />
    </Box>
  );
}

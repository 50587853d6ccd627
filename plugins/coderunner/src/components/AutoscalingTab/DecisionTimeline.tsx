import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  ScalingDecisionCause,
  ScalingDecisionRecord,
} from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { ScalingDecisionsState } from '../../hooks/useScalingDecisions';
import { displayUser } from '../../lib/displayUser';
import { errorTitle } from '../../lib/errorTitle';
import { formatExactTime } from '../../lib/formatWhen';
import { CAUSE_LABELS, decisionSentence } from './scalingText';
import { SectionHeader } from './SectionHeader';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    borderLeft: `3px solid ${theme.palette.divider}`,
    padding: theme.spacing(1, 0, 1, 2),
    overflowWrap: 'anywhere',
  },
  up: { borderLeftColor: theme.palette.primary.main },
  down: { borderLeftColor: theme.palette.secondary.main },
  meta: { color: theme.palette.text.secondary },
}));

const ALL = 'all';

/** The filters the timeline offers. */
export interface TimelineFilter {
  changedOnly: boolean;
  cause: ScalingDecisionCause | typeof ALL;
}

function DecisionItem(props: { decision: ScalingDecisionRecord }) {
  const classes = useStyles();
  const { decision } = props;
  let directionClass = '';
  if (decision.to > decision.from) directionClass = classes.up;
  if (decision.to < decision.from) directionClass = classes.down;
  return (
    <li
      className={`${classes.item} ${directionClass}`}
      data-testid="coderunner-scaling-decision"
    >
      <Typography variant="body2">
        <time dateTime={decision.at} title={formatExactTime(decision.at)}>
          {decisionSentence(decision)}
        </time>
      </Typography>
      <Typography variant="caption" component="p" className={classes.meta}>
        {CAUSE_LABELS[decision.cause] ?? decision.cause}
        {decision.by ? ` · by ${displayUser(decision.by)}` : ''}
        {decision.inputs.stale
          ? ' · metrics were stale, so the count was not lowered'
          : ''}
      </Typography>
    </li>
  );
}

/**
 * Every decision as a sentence, newest first: the changes only or every tick,
 * filterable by cause, paged back on request.
 */
export function DecisionTimeline(props: {
  state: ScalingDecisionsState;
  filter: TimelineFilter;
  onFilter: (filter: TimelineFilter) => void;
}) {
  const classes = useStyles();
  const { state, filter } = props;
  const shown =
    filter.cause === ALL
      ? state.decisions
      : state.decisions.filter(d => d.cause === filter.cause);

  return (
    <section
      aria-labelledby="coderunner-scaling-history"
      data-testid="coderunner-scaling-history"
    >
      <SectionHeader id="coderunner-scaling-history" title="Decisions">
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
        >
          <ToggleButtonGroup
            size="small"
            exclusive
            aria-label="Which decisions"
            value={filter.changedOnly ? 'changes' : 'all'}
            onChange={(_e, value: string | null) => {
              if (value)
                props.onFilter({ ...filter, changedOnly: value === 'changes' });
            }}
          >
            <ToggleButton value="changes" style={{ textTransform: 'none' }}>
              Changes and actions
            </ToggleButton>
            <ToggleButton value="all" style={{ textTransform: 'none' }}>
              All decisions
            </ToggleButton>
          </ToggleButtonGroup>
          <TextField
            select
            size="small"
            variant="outlined"
            id="coderunner-decision-cause"
            label="Cause"
            value={filter.cause}
            onChange={e =>
              props.onFilter({
                ...filter,
                cause: e.target.value as TimelineFilter['cause'],
              })
            }
            style={{ minWidth: 170 }}
          >
            <MenuItem value={ALL}>All causes</MenuItem>
            {(Object.keys(CAUSE_LABELS) as ScalingDecisionCause[]).map(
              cause => (
                <MenuItem key={cause} value={cause}>
                  {CAUSE_LABELS[cause]}
                </MenuItem>
              ),
            )}
          </TextField>
        </Box>
      </SectionHeader>
      {state.error && (
        <ResponseErrorPanel
          error={state.error}
          title={errorTitle(state.error)}
        />
      )}
      {state.loading && shown.length === 0 && <Progress />}
      {!state.loading && !state.error && shown.length === 0 && (
        <EmptyState
          missing="data"
          title={
            filter.cause === ALL && filter.changedOnly
              ? 'No scaling changes yet'
              : 'No decision matches'
          }
          description={
            filter.cause === ALL && filter.changedOnly
              ? 'The autoscaler has not changed the count yet. It decides on every metrics sample; choose "All decisions" to see why it held, or send the app more traffic.'
              : 'Choose another cause or "All decisions".'
          }
        />
      )}
      {shown.length > 0 && (
        <ol
          className={classes.list}
          aria-label="Scaling decisions, newest first"
        >
          {shown.map(decision => (
            <DecisionItem key={decision.id} decision={decision} />
          ))}
        </ol>
      )}
      {state.hasOlder && (
        <Box mt={1}>
          <Button
            variant="outlined"
            size="small"
            disabled={state.loading}
            onClick={() => void state.loadOlder()}
          >
            Load older decisions
          </Button>
        </Box>
      )}
    </section>
  );
}

import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
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
import { coderunnerTranslationRef } from '../../translation';
import { CAUSES, causeLabel, decisionSentence } from './scalingText';
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
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
          {decisionSentence(decision, t)}
        </time>
      </Typography>
      <Typography variant="caption" component="p" className={classes.meta}>
        {causeLabel(decision.cause, t)}
        {decision.by
          ? t('autoscalingTab.decisions.by', {
              user: displayUser(decision.by, t),
            })
          : ''}
        {decision.inputs.stale ? t('autoscalingTab.decisions.stale') : ''}
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
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
      <SectionHeader
        id="coderunner-scaling-history"
        title={t('autoscalingTab.decisions.title')}
      >
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
        >
          <ToggleButtonGroup
            size="small"
            exclusive
            aria-label={t('autoscalingTab.decisions.which')}
            value={filter.changedOnly ? 'changes' : 'all'}
            onChange={(_e, value: string | null) => {
              if (value)
                props.onFilter({ ...filter, changedOnly: value === 'changes' });
            }}
          >
            <ToggleButton value="changes" style={{ textTransform: 'none' }}>
              {t('autoscalingTab.decisions.changes')}
            </ToggleButton>
            <ToggleButton value="all" style={{ textTransform: 'none' }}>
              {t('autoscalingTab.decisions.all')}
            </ToggleButton>
          </ToggleButtonGroup>
          <TextField
            select
            size="small"
            variant="outlined"
            id="coderunner-decision-cause"
            label={t('autoscalingTab.decisions.cause')}
            value={filter.cause}
            onChange={e =>
              props.onFilter({
                ...filter,
                cause: e.target.value as TimelineFilter['cause'],
              })
            }
            style={{ minWidth: 170 }}
          >
            <MenuItem value={ALL}>
              {t('autoscalingTab.decisions.allCauses')}
            </MenuItem>
            {CAUSES.map(cause => (
              <MenuItem key={cause} value={cause}>
                {causeLabel(cause, t)}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      </SectionHeader>
      {state.error && (
        <ResponseErrorPanel
          error={state.error}
          title={errorTitle(state.error, t)}
        />
      )}
      {state.loading && shown.length === 0 && <Progress />}
      {!state.loading && !state.error && shown.length === 0 && (
        <EmptyState
          missing="data"
          title={
            filter.cause === ALL && filter.changedOnly
              ? t('autoscalingTab.decisions.noChangesTitle')
              : t('autoscalingTab.decisions.noMatchTitle')
          }
          description={
            filter.cause === ALL && filter.changedOnly
              ? t('autoscalingTab.decisions.noChanges')
              : t('autoscalingTab.decisions.noMatch')
          }
        />
      )}
      {shown.length > 0 && (
        <ol
          className={classes.list}
          aria-label={t('autoscalingTab.decisions.listLabel')}
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
            {t('autoscalingTab.decisions.loadOlder')}
          </Button>
        </Box>
      )}
    </section>
  );
}

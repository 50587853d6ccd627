import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { coderunnerTranslationRef } from '../../translation';

/**
 * The windows the Metrics section offers, in the API's spelling; their names are the messages
 * `metricsSection.windowToggle.short.<window>` and `….long.<window>`.
 */
export const METRICS_WINDOWS = [
  { window: '1h' },
  { window: '6h' },
  { window: '24h' },
  { window: '7d' },
] as const;

/** One of {@link METRICS_WINDOWS}. */
export type MetricsWindow = (typeof METRICS_WINDOWS)[number];

/** Picks how far back the charts reach. */
export function MetricsWindowToggle(props: {
  value: MetricsWindow;
  onChange: (window: MetricsWindow) => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.value.window}
      aria-label={t('metricsSection.windowToggle.label')}
      onChange={(_event, value: string | null) => {
        const chosen = METRICS_WINDOWS.find(w => w.window === value);
        // A click on the selected button would unselect it; keep it selected.
        if (chosen) props.onChange(chosen);
      }}
    >
      {METRICS_WINDOWS.map(w => (
        <ToggleButton
          key={w.window}
          value={w.window}
          // The visible text starts the name, so speech input can say what it sees (WCAG 2.5.3).
          aria-label={t('metricsSection.windowToggle.option', {
            short: t(`metricsSection.windowToggle.short.${w.window}`),
            window: t(`metricsSection.windowToggle.long.${w.window}`),
          })}
          style={{ textTransform: 'none' }}
        >
          {t(`metricsSection.windowToggle.short.${w.window}`)}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}

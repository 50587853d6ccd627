import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';

/** The windows the Metrics section offers; `window` is the API's spelling. */
export const METRICS_WINDOWS = [
  { window: '1h', short: '1 h', label: 'hour' },
  { window: '6h', short: '6 h', label: '6 hours' },
  { window: '24h', short: '24 h', label: '24 hours' },
  { window: '7d', short: '7 d', label: '7 days' },
] as const;

/** One of {@link METRICS_WINDOWS}. */
export type MetricsWindow = (typeof METRICS_WINDOWS)[number];

/** Picks how far back the charts reach. */
export function MetricsWindowToggle(props: {
  value: MetricsWindow;
  onChange: (window: MetricsWindow) => void;
}) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.value.window}
      aria-label="Time window"
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
          aria-label={`${w.short}, last ${w.label}`}
          style={{ textTransform: 'none' }}
        >
          {w.short}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}

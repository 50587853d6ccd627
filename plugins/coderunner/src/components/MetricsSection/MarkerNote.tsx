import Typography from '@material-ui/core/Typography';
import { TimeMarker } from './timeMarkers';

/** The text alternative of one kind of marker: what each line is and when. */
export function MarkerNote(props: { markers: TimeMarker[]; lead: string }) {
  if (props.markers.length === 0) return null;
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      {props.lead}:{' '}
      {props.markers
        .map(
          m => `${m.label} (${m.short}) at ${new Date(m.at).toLocaleString()}`,
        )
        .join(', ')}
      .
    </Typography>
  );
}

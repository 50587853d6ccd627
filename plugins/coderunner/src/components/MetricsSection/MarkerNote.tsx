import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@material-ui/core/Typography';
import { coderunnerTranslationRef } from '../../translation';
import { TimeMarker } from './timeMarkers';

/** The text alternative of one kind of marker: what each line is and when. */
export function MarkerNote(props: { markers: TimeMarker[]; lead: string }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  if (props.markers.length === 0) return null;
  return (
    <Typography variant="caption" color="textSecondary" component="p">
      {t('metricsSection.markerNote', {
        lead: props.lead,
        markers: props.markers
          .map(m =>
            t('metricsSection.markerItem', {
              label: m.label,
              short: m.short,
              when: new Date(m.at).toLocaleString(),
            }),
          )
          .join(', '),
      })}
    </Typography>
  );
}

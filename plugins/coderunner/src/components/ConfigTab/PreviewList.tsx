import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ConfigDiffEntry } from '@coderunner/plugin-coderunner-common';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { coderunnerTranslationRef } from '../../translation';

/** What a change would do, by variable; secrets only as changed, never with values. */
export function PreviewList(props: {
  entries: ConfigDiffEntry[];
  empty: string;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  if (props.entries.length === 0) {
    return <Typography variant="body2">{props.empty}</Typography>;
  }
  return (
    <List dense>
      {props.entries.map(entry => (
        <ListItem key={`${entry.scope}/${entry.name}`}>
          <Chip
            size="small"
            label={entry.change}
            color={entry.change === 'removed' ? 'secondary' : 'primary'}
            style={{ marginRight: 8 }}
          />
          <ListItemText
            primary={
              entry.secret
                ? t('configTab.preview.secretName', { name: entry.name })
                : entry.name
            }
            secondary={
              entry.secret
                ? t('configTab.preview.secretChanged')
                : [
                    entry.before !== undefined &&
                      t('configTab.preview.before', { value: entry.before }),
                    entry.after !== undefined &&
                      t('configTab.preview.after', { value: entry.after }),
                  ]
                    .filter(Boolean)
                    .join(', ')
            }
          />
        </ListItem>
      ))}
    </List>
  );
}

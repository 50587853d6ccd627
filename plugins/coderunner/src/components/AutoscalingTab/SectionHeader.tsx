import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/**
 * A section's heading (its `id` names the section) with its controls beside
 * it, wrapping below it on a narrow screen.
 */
export function SectionHeader(props: {
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      justifyContent="space-between"
      style={{ gap: 8 }}
      mb={1}
    >
      <Typography variant="h6" component="h3" id={props.id}>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

import { CodeSnippet, EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { CODERUNNER_DOCS_URL } from '../../lib/docs';

/** The section to add to coderunner.yaml for autoscaling. */
export const SCALING_SNIPPET = `scaling:
  template: web-app   # or api, worker, ml-inference, development, cost-saver
  min: 1
  max: 5
`;

/** Says that the active release's manifest has no scaling template, and what to add. */
export function ScalingMissingState() {
  return (
    <EmptyState
      missing="field"
      title="Autoscaling is off"
      description="The active release's coderunner.yaml has no scaling template, so the instance count only changes by hand (below). Add a scaling section like this one, commit it and deploy; the autoscaler then keeps the count between min and max and explains every decision here."
      action={
        <>
          <Box mb={2}>
            <CodeSnippet
              text={SCALING_SNIPPET}
              language="yaml"
              showCopyCodeButton
            />
          </Box>
          <Button
            variant="outlined"
            color="primary"
            href={`${CODERUNNER_DOCS_URL}/autoscaling.md`}
            target="_blank"
            rel="noopener"
          >
            Read docs/autoscaling.md
          </Button>
        </>
      }
    />
  );
}

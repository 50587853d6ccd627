import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { MANIFEST_DOCS_URL } from '../../lib/docs';
import { EXAMPLE_MANIFEST } from '../../lib/exampleManifest';

/**
 * Says that the component has no usable `coderunner.yaml` and shows how to add one.
 */
export function ManifestMissingState(props: { setup: EntitySetup }) {
  const { manifestPath, problem } = props.setup;
  return (
    <EmptyState
      missing="field"
      title="This component has no coderunner.yaml"
      description={
        <>
          {problem ??
            `CodeRunner found no manifest at ${manifestPath} in this component's source.`}{' '}
          Add one like the example below at <code>{manifestPath}</code> and
          commit it; CodeRunner reads it from the component's source.
        </>
      }
      action={
        <>
          <Box mb={2}>
            <CodeSnippet
              text={EXAMPLE_MANIFEST}
              language="yaml"
              showCopyCodeButton
            />
          </Box>
          <Button
            variant="contained"
            color="primary"
            href={MANIFEST_DOCS_URL}
            target="_blank"
            rel="noopener"
          >
            Read docs/manifest.md
          </Button>
        </>
      }
    />
  );
}

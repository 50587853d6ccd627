import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import { ReactNode } from 'react';
import { useEntitySetup } from '../../hooks';
import { errorTitle } from '../../lib/errorTitle';
import { ManifestMissingState } from '../ManifestMissingState';

/**
 * Loads the current entity's setup and renders `children` only once the
 * manifest is known to exist; shows progress, the error, or how to add a
 * manifest otherwise. Every CodeRunner tab starts with this.
 */
export function EntitySetupGate(props: {
  children: (setup: EntitySetup) => ReactNode;
}) {
  const { setup, loading, error } = useEntitySetup();
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title={errorTitle(error)} />;
  }
  if (!setup) {
    return null;
  }
  if (!setup.manifestFound) {
    return <ManifestMissingState setup={setup} />;
  }
  return <>{props.children(setup)}</>;
}

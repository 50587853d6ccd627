import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import { ReactNode } from 'react';
import { useEntitySetup } from '../../hooks';
import { errorTitle } from '../../lib/errorTitle';
import { coderunnerTranslationRef } from '../../translation';
import { ManifestMissingState } from '../ManifestMissingState';

/**
 * Loads the current entity's setup and renders `children` only once the
 * manifest is known to exist; shows progress or the error otherwise, and
 * `missing` (by default how to add a manifest) when there is none. Every
 * CodeRunner tab and the overview card start with this.
 */
export function EntitySetupGate(props: {
  children: (setup: EntitySetup) => ReactNode;
  missing?: (setup: EntitySetup) => ReactNode;
}) {
  const {
    children,
    missing = setup => <ManifestMissingState setup={setup} />,
  } = props;
  const { setup, loading, error } = useEntitySetup();
  const { t } = useTranslationRef(coderunnerTranslationRef);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title={errorTitle(error, t)} />;
  }
  if (!setup) {
    return null;
  }
  return <>{setup.manifestFound ? children(setup) : missing(setup)}</>;
}

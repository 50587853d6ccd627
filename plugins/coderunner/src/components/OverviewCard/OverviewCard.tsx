import { InfoCard } from '@backstage/core-components';
import { MANIFEST_DOCS_URL } from '../../lib/docs';
import { OverviewCardBody } from './OverviewCardBody';

/**
 * The CodeRunner card of an entity's overview: whether the component can be
 * deployed and, later, where it runs.
 *
 * @public
 */
export function OverviewCard() {
  return (
    <InfoCard
      title="CodeRunner"
      deepLink={{ title: 'About coderunner.yaml', link: MANIFEST_DOCS_URL }}
    >
      <div data-testid="coderunner-card">
        <OverviewCardBody />
      </div>
    </InfoCard>
  );
}

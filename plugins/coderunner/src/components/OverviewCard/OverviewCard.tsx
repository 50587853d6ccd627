import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { MANIFEST_DOCS_URL } from '../../lib/docs';
import { coderunnerTranslationRef } from '../../translation';
import { OverviewCardBody } from './OverviewCardBody';

/**
 * The CodeRunner card of an entity's overview: whether the component can be
 * deployed and, later, where it runs.
 *
 * @public
 */
export function OverviewCard() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <InfoCard
      title={t('overviewCard.title')}
      deepLink={{
        title: t('overviewCard.aboutManifest'),
        link: MANIFEST_DOCS_URL,
      }}
    >
      <div data-testid="coderunner-card">
        <OverviewCardBody />
      </div>
    </InfoCard>
  );
}

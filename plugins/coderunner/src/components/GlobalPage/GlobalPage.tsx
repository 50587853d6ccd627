import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { OpenAlertsSection } from '../AlertsList';
import { errorTitle } from '../../lib/errorTitle';
import { coderunnerTranslationRef } from '../../translation';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { DeploymentFilters } from './DeploymentFilters';
import { DeploymentsTable } from './DeploymentsTable';
import { DeploymentFilter, useDeploymentPages } from './useDeploymentPages';
import { SpendSection } from './SpendSection';

/**
 * The global CodeRunner page: every deployment the user may see, a page at a time, with
 * filters.
 *
 * @public
 */
export function GlobalPage() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <Page themeId="tool">
      <Header
        title={t('globalPage.title')}
        subtitle={t('globalPage.subtitle')}
      />
      <Content>
        <div data-testid="coderunner-page">
          <OpenAlertsSection />
          <GlobalPageBody />
          <SpendSection />
        </div>
      </Content>
    </Page>
  );
}

function GlobalPageBody() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<DeploymentFilter>({
    text: '',
    environment: '',
    status: '',
  });
  useDebounce(() => setFilter(f => ({ ...f, text: search.trim() })), 300, [
    search,
  ]);
  const pages = useDeploymentPages(filter);
  const { page, error } = pages;
  const filtered = !!(filter.text || filter.environment || filter.status);
  if (!page && !error) return <Progress />;
  if (!filtered && pages.pageNumber === 1 && page?.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={t('globalPage.emptyTitle')}
        description={t('globalPage.emptyDescription')}
      />
    );
  }
  return (
    <>
      <DeploymentFilters
        search={search}
        onSearch={setSearch}
        filter={filter}
        onFilter={setFilter}
        environments={page?.environments ?? []}
      />
      {error ? (
        <ResponseErrorPanel error={error} title={errorTitle(error, t)} />
      ) : (
        <DeploymentsTable
          deployments={page?.items ?? []}
          loading={pages.loading}
          pageNumber={pages.pageNumber}
          next={pages.next}
          previous={pages.previous}
        />
      )}
    </>
  );
}

import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useAllDeployments } from '../../hooks/useAllDeployments';
import { OpenAlertsSection } from '../AlertsList';
import { errorTitle } from '../../lib/errorTitle';
import { DeploymentsTable } from './DeploymentsTable';
import { SpendSection } from './SpendSection';

/**
 * The global CodeRunner page: every deployment the user may see.
 *
 * @public
 */
export function GlobalPage() {
  return (
    <Page themeId="tool">
      <Header
        title="CodeRunner"
        subtitle="Deploy, watch, configure and scale catalog components"
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
  const { deployments, error } = useAllDeployments();
  if (!deployments) {
    return error ? (
      <ResponseErrorPanel error={error} title={errorTitle(error)} />
    ) : (
      <Progress />
    );
  }
  if (deployments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No deployments yet"
        description="Deployments of every component will be listed here. To deploy one, open a component with a coderunner.yaml in the catalog and use its Deployments tab."
      />
    );
  }
  return <DeploymentsTable deployments={deployments} />;
}

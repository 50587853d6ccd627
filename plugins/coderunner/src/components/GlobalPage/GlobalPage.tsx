import { Content, EmptyState, Header, Page } from '@backstage/core-components';

/**
 * The global CodeRunner page: deployments across all components.
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
          <EmptyState
            missing="data"
            title="No deployments yet"
            description="Deployments of every component will be listed here. To deploy one, open a component with a coderunner.yaml in the catalog and use its Deployments tab."
          />
        </div>
      </Content>
    </Page>
  );
}

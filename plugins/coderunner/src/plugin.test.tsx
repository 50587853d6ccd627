import { screen } from '@testing-library/react';
import { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import { TestApiProvider } from '@backstage/test-utils';
import {
  AlertsApi,
  alertsApiRef,
  CostApi,
  coderunnerApiRef,
  configApiRef,
  costApiRef,
  logsApiRef,
  scalingApiRef,
  terminalApiRef,
} from './api';
import {
  CodeRunnerPage,
  coderunnerPlugin,
  EntityCodeRunnerAutoscalingContent,
  EntityCodeRunnerCard,
  EntityCodeRunnerConfigContent,
  EntityCodeRunnerDeploymentsContent,
  EntityCodeRunnerLogsContent,
  isCodeRunnerAvailable,
} from './index';
import {
  backendError,
  componentEntity,
  fakeCodeRunnerApi,
  fakeScalingApi,
  renderWithEntity,
  setupWithManifest,
} from './__testUtils__';

/** The pages' alert and cost sections have nothing to show here; they are tested beside them. */
const noAlerts: AlertsApi = {
  getEntityAlerts: async () => [],
  getOpenAlerts: async () => [],
};
const notHere = async (): Promise<never> => {
  throw new Error('No cost in this test');
};
const noCost: CostApi = {
  getEntityCost: notHere,
  getAdvice: async () => [],
  setBudget: notHere,
  removeBudget: notHere,
  setOwnerBudget: notHere,
  removeOwnerBudget: notHere,
  getSummary: notHere,
};

/**
 * Mounts `element` at `path` the way `EntityLayout.Route path=…` and
 * `<Route path="/coderunner">` do in a legacy app: a routable extension must
 * be given a path.
 */
function renderAt(path: string, element: ReactElement) {
  return renderWithEntity(
    <TestApiProvider
      apis={[
        [alertsApiRef, noAlerts],
        [costApiRef, noCost],
      ]}
    >
      <Routes>
        <Route path={`${path}/*`} element={element} />
      </Routes>
    </TestApiProvider>,
    fakeCodeRunnerApi(setupWithManifest),
    { routeEntries: [path] },
  );
}

describe('legacy frontend system exports', () => {
  it('provides the CodeRunner API', () => {
    const apiRefs = [...coderunnerPlugin.getApis()].map(api => api.api.id);
    expect(apiRefs).toEqual([
      coderunnerApiRef.id,
      configApiRef.id,
      logsApiRef.id,
      scalingApiRef.id,
      costApiRef.id,
      alertsApiRef.id,
      terminalApiRef.id,
    ]);
  });

  it.each([
    [
      'deployments',
      EntityCodeRunnerDeploymentsContent,
      'Not deployed to development yet',
    ],
    // The Logs and Config tabs' own states are tested beside them; here they must mount.
    ['logs', EntityCodeRunnerLogsContent, 'Environment'],
    ['config', EntityCodeRunnerConfigContent, 'Export'],
    [
      'autoscaling',
      EntityCodeRunnerAutoscalingContent,
      'Not deployed to development',
    ],
  ])(
    'renders the %s tab as an entity page would',
    async (tab, Content, emptyTitle) => {
      const notDeployed = await backendError(
        404,
        'NotFoundError',
        'component:default/hello-node has not been deployed to development',
      );
      await renderAt(
        `/${tab}`,
        <TestApiProvider
          apis={[[scalingApiRef, fakeScalingApi(notDeployed).api]]}
        >
          <Content />
        </TestApiProvider>,
      );

      expect(
        await screen.findByTestId(`coderunner-${tab}-tab`),
      ).toBeInTheDocument();
      expect((await screen.findAllByText(emptyTitle))[0]).toBeInTheDocument();
    },
  );

  it('renders the overview card', async () => {
    await renderWithEntity(
      <EntityCodeRunnerCard />,
      fakeCodeRunnerApi(setupWithManifest),
    );

    expect(await screen.findByTestId('coderunner-card')).toBeInTheDocument();
    expect(await screen.findByText(/ready to deploy/)).toBeInTheDocument();
  });

  it('renders the global page', async () => {
    await renderAt('/coderunner', <CodeRunnerPage />);

    expect(
      await screen.findByRole('heading', { name: 'CodeRunner' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
  });

  it('offers the tabs on Component entities only', () => {
    expect(isCodeRunnerAvailable(componentEntity)).toBe(true);
    expect(
      isCodeRunnerAvailable({ ...componentEntity, kind: 'component' }),
    ).toBe(true);
    expect(isCodeRunnerAvailable({ ...componentEntity, kind: 'System' })).toBe(
      false,
    );
  });
});

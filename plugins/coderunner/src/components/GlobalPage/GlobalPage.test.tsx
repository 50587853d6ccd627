import { ApiRef } from '@backstage/core-plugin-api';
import { translationApiRef } from '@backstage/core-plugin-api/alpha';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  DeploymentListQuery,
  deploymentListSignalChannel,
  DeploymentPage,
} from '@coderunner/plugin-coderunner-common';
import { coderunnerApiRef } from '../../api';
import {
  aDeployment,
  anInstance,
  aRelease,
  fakeCodeRunnerApi,
  fakeSignals,
  keyTranslationApi,
  setupWithManifest,
} from '../../__testUtils__';
import { GlobalPage } from './GlobalPage';
import { SIGNAL_COALESCE_MS } from '../../hooks/useDeploymentChanges';

const environments = ['development', 'production'];

async function renderPage(
  deployments: ReturnType<typeof aDeployment>[],
  answer?: (query?: DeploymentListQuery) => DeploymentPage,
  otherApis: [ApiRef<object>, object][] = [],
) {
  const api = fakeCodeRunnerApi(setupWithManifest);
  api.listDeploymentPage.mockImplementation(async query =>
    answer ? answer(query) : { items: deployments, environments },
  );
  await renderInTestApp(
    <TestApiProvider apis={[[coderunnerApiRef, api], ...otherApis]}>
      <GlobalPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('GlobalPage', () => {
  it('lists every deployment with its entity, environment, status, URL, release, instances and deployer', async () => {
    await renderPage([
      aDeployment(),
      aDeployment({
        entityRef: 'component:default/crashy-node',
        environment: 'staging',
        status: 'degraded',
        url: 'http://crashy-node.staging.localhost:7080/',
        activeRelease: aRelease({ number: 7 }),
        desiredInstances: 2,
        instances: [anInstance(), anInstance({ id: 'b', state: 'crashed' })],
      }),
    ]);

    const row = (
      await screen.findByRole('link', { name: /^crashy-node$/ })
    ).closest('tr')!;
    expect(row).toHaveTextContent('staging');
    expect(row).toHaveTextContent('Degraded');
    expect(row).toHaveTextContent('7');
    expect(row).toHaveTextContent('1 ready / 2 desired');
    expect(row).toHaveTextContent('by guest');
    expect(
      within(row).getByRole('link', { name: /crashy-node\.staging/ }),
    ).toHaveAttribute('href', 'http://crashy-node.staging.localhost:7080/');
    expect(screen.getByRole('link', { name: /hello-node$/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/hello-node',
    );
  });

  it('says what to do when nothing is deployed', async () => {
    await renderPage([]);

    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
  });

  it('pages on with the cursor of the previous page, and back', async () => {
    const named = (name: string) =>
      aDeployment({ entityRef: `component:default/${name}` });
    const api = await renderPage([], query =>
      query?.cursor === 'after-first'
        ? { items: [named('second-page')], environments }
        : {
            items: [named('first-page')],
            nextCursor: 'after-first',
            environments,
          },
    );

    await screen.findByRole('link', { name: 'first-page' });
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('link', { name: 'second-page' });
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'first-page' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    expect(api.listDeploymentPage).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'after-first', limit: 25 }),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByRole('link', { name: 'first-page' });
    expect(api.listDeploymentPage).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: undefined }),
    );
  });

  it('filters on the server by text, environment and status, from the first page', async () => {
    const api = await renderPage([], query => ({
      items:
        query?.text === 'nothing-like-this'
          ? []
          : [aDeployment({ environment: query?.environments?.[0] })],
      nextCursor: 'more',
      environments,
    }));
    await screen.findByRole('link', { name: 'hello-node' });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Page 2');

    // The environment filter offers the configured environments and starts again at page 1.
    fireEvent.mouseDown(
      screen.getByLabelText(/^Environment/, { selector: '[role=button]' }),
    );
    fireEvent.click(await screen.findByRole('option', { name: 'production' }));
    await waitFor(() =>
      expect(api.listDeploymentPage).toHaveBeenLastCalledWith({
        limit: 25,
        cursor: undefined,
        environments: ['production'],
        statuses: undefined,
        text: undefined,
      }),
    );
    expect(await screen.findByText('Page 1')).toBeInTheDocument();

    fireEvent.mouseDown(
      screen.getByLabelText(/^Status/, { selector: '[role=button]' }),
    );
    fireEvent.click(await screen.findByRole('option', { name: 'Degraded' }));
    fireEvent.change(screen.getByLabelText('Search components'), {
      target: { value: ' nothing-like-this ' },
    });
    await waitFor(() =>
      expect(api.listDeploymentPage).toHaveBeenLastCalledWith({
        limit: 25,
        cursor: undefined,
        environments: ['production'],
        statuses: ['degraded'],
        text: 'nothing-like-this',
      }),
    );
    expect(
      await screen.findByText('No deployments match these filters.'),
    ).toBeInTheDocument();
    // The filters stay to be changed back.
    expect(screen.getByLabelText('Search components')).toHaveValue(
      ' nothing-like-this ',
    );
  });

  it("shows the app's wording of its text, from coderunnerTranslationRef", async () => {
    // An app's translation: every message by its key, with its values.
    const translationApi = keyTranslationApi();
    await renderPage(
      [aDeployment({ deployedBy: undefined })],
      () => ({ items: [aDeployment()], nextCursor: 'more', environments }),
      [[translationApiRef, translationApi]],
    );

    const row = (
      await screen.findByRole('link', { name: 'hello-node' })
    ).closest('tr')!;
    expect(
      screen.getByRole('heading', { name: '«globalPage.title»' }),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('«globalPage.filters.search»'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: '«globalPage.table.deployed»' }),
    ).toBeInTheDocument();
    expect(row).toHaveTextContent(
      '«globalPage.table.instancesCount {"ready":"1","desired":"1"}»',
    );
    // The helpers' words come from the same translation: "by guest, 5 minutes ago".
    expect(row).toHaveTextContent(
      /«globalPage\.table\.deployedBy \{"user":"guest","when":"«formatWhen\.days \{\\"days\\":-?\d+\}»"\}»/,
    );
    expect(
      screen.getByRole('button', { name: '«globalPage.table.next»' }),
    ).toBeEnabled();
    expect(
      screen.getByText('«globalPage.table.page {"number":"1"}»'),
    ).toBeInTheDocument();
  });

  it('re-reads on any deployment change, one read at a time', async () => {
    jest.useFakeTimers();
    try {
      const signals = fakeSignals();
      const later: ((page: DeploymentPage) => void)[] = [];
      const api = await renderPage([aDeployment()], undefined, [
        [signalApiRef, signals.api],
      ]);
      api.listDeploymentPage.mockImplementation(
        () => new Promise(resolve => later.push(resolve)),
      );
      await screen.findByRole('link', { name: /^hello-node$/ });
      expect(api.listDeploymentPage).toHaveBeenCalledTimes(1);
      // A deployment of another entity, not on the page, appears.
      act(() => signals.publish(deploymentListSignalChannel));
      await waitFor(() => expect(later).toHaveLength(1));
      // More changes while that read is under way: none starts another.
      for (let i = 0; i < 3; i++) {
        act(() => signals.publish(deploymentListSignalChannel));
        act(() => jest.advanceTimersByTime(SIGNAL_COALESCE_MS));
      }
      expect(api.listDeploymentPage).toHaveBeenCalledTimes(2);
      act(() =>
        later[0]({
          items: [
            aDeployment(),
            aDeployment({ entityRef: 'component:default/static-site' }),
          ],
          environments,
        }),
      );
      // Shown at once, also while the next read runs (a re-read does not blank the table).
      await screen.findByRole('link', { name: /^static-site$/ });
      // Then one read for the changes it missed.
      await waitFor(() => expect(later).toHaveLength(2));
      expect(api.listDeploymentPage).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });
});

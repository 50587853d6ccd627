import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  Alert,
  alertSignalChannel,
} from '@coderunner/plugin-coderunner-common';
import { screen, waitFor, within } from '@testing-library/react';
import { alertsApiRef } from '../../api';
import { EntityAlertsCard } from './EntityAlertsCard';
import { OpenAlertsSection } from './OpenAlertsSection';
import { fakeSignals } from '../../__testUtils__';

const SHOP = 'component:default/shop';
const alert = (overrides: Partial<Alert>): Alert => ({
  id: 'a1',
  key: `crash-loop:${SHOP}:production`,
  ruleId: 'crash-loop',
  entityRef: SHOP,
  environment: 'production',
  severity: 'critical',
  title: 'Crash loop in production',
  description: 'An instance keeps exiting: exit code 1',
  link: '/catalog/default/component/shop/logs',
  status: 'open',
  openedAt: new Date().toISOString(),
  lastSeenAt: new Date().toISOString(),
  ...overrides,
});

describe('EntityAlertsCard', () => {
  it('lists open alerts with their severity and link, then resolved ones, and re-reads on a signal', async () => {
    let alerts = [
      alert({}),
      alert({
        id: 'a0',
        key: 'rollout-failed',
        title: 'Rollout failed in staging',
        status: 'resolved',
        severity: 'warning',
        resolvedAt: new Date().toISOString(),
        link: '/catalog/default/component/shop/deployments',
      }),
    ];
    const getEntityAlerts = jest.fn(async () => alerts);
    const signals = fakeSignals();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [alertsApiRef, { getEntityAlerts } as any],
          [signalApiRef, signals.api as any],
        ]}
      >
        <EntityAlertsCard entityRef={SHOP} />
      </TestApiProvider>,
    );
    const open = await screen.findByRole('list', { name: 'Open alerts' });
    expect(within(open).getByText('Critical')).toBeInTheDocument();
    expect(
      within(open).getByRole('link', { name: 'Crash loop in production' }),
    ).toHaveAttribute('href', '/catalog/default/component/shop/logs');
    const resolved = screen.getByRole('list', { name: 'Resolved alerts' });
    expect(within(resolved).getByText('Resolved')).toBeInTheDocument();
    expect(getEntityAlerts).toHaveBeenCalledWith(SHOP, { limit: 50 });

    alerts = [
      alert({ status: 'resolved', resolvedAt: new Date().toISOString() }),
    ];
    signals.publish(alertSignalChannel(SHOP));
    await waitFor(() =>
      expect(
        screen.getByText(/No open alerts: every rule is satisfied/),
      ).toBeInTheDocument(),
    );
  });

  it('shows the error when the alerts cannot be read', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            alertsApiRef,
            {
              getEntityAlerts: async () => {
                throw new Error(
                  'You are not allowed coderunner.deployment.read',
                );
              },
            } as any,
          ],
        ]}
      >
        <EntityAlertsCard entityRef={SHOP} />
      </TestApiProvider>,
    );
    expect(
      (await screen.findAllByText(/not allowed coderunner.deployment.read/))[0],
    ).toBeInTheDocument();
  });
});

describe('OpenAlertsSection', () => {
  it("names each alert's entity", async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [alertsApiRef, { getOpenAlerts: async () => [alert({})] } as any],
        ]}
      >
        <OpenAlertsSection />
      </TestApiProvider>,
    );
    const list = await screen.findByRole('list', { name: 'Open alerts' });
    expect(within(list).getByText(SHOP)).toBeInTheDocument();
  });

  it('renders nothing in an app without the alerts API', async () => {
    await renderInTestApp(<OpenAlertsSection />);
    expect(screen.queryByTestId('coderunner-open-alerts')).toBeNull();
  });
});

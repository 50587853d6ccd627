import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityCost } from '@coderunner/plugin-coderunner-common';
import { act, screen, waitFor } from '@testing-library/react';
import { costApiRef } from '../../api';
import { EnvironmentCost } from './EnvironmentCost';

const cost: EntityCost = {
  entityRef: 'component:default/hello-node',
  period: '2026-11',
  currency: 'USD',
  asOf: '2026-11-20T12:00:00.000Z',
  spent: 3.5,
  builds: 0.1,
  forecast: 5,
  environments: [
    {
      environment: 'development',
      spent: 3.2,
      builds: 0.1,
      forecast: 4.6,
      instanceSeconds: 172_800,
      runningInstances: 2,
      currentHourly: 0.13,
    },
  ],
  daily: [],
  budgets: [],
};

describe('EnvironmentCost', () => {
  it('says what the environment cost this month, its forecast and what its instances cost now', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[costApiRef, { getEntityCost: async () => cost } as any]]}
      >
        <EnvironmentCost
          entityRef="component:default/hello-node"
          environment="development"
          revision={0}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByTestId('coderunner-environment-cost'),
    ).toHaveTextContent(
      'Cost this month: $3.20 (builds $0.10), forecast $4.60; 2 instances now cost $0.13 an hour.',
    );
  });

  it('shows nothing for an environment that never ran', async () => {
    const getEntityCost = jest.fn(async () => cost);
    await renderInTestApp(
      <TestApiProvider apis={[[costApiRef, { getEntityCost } as any]]}>
        <EnvironmentCost
          entityRef="component:default/hello-node"
          environment="production"
          revision={0}
        />
      </TestApiProvider>,
    );
    await waitFor(() => expect(getEntityCost).toHaveBeenCalled());
    // Let the answer arrive before looking.
    await act(async () => {
      await getEntityCost.mock.results[0].value;
    });
    expect(screen.queryByTestId('coderunner-environment-cost')).toBeNull();
  });
});

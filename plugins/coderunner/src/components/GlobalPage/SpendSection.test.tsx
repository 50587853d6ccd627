import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { CostSummary } from '@coderunner/plugin-coderunner-common';
import { screen, within } from '@testing-library/react';
import { costApiRef } from '../../api';
import { SpendSection, spendRows } from './SpendSection';

const summary: CostSummary = {
  period: '2026-11',
  currency: 'USD',
  asOf: '2026-11-20T12:00:00.000Z',
  spent: 40,
  forecast: 60,
  byOwner: [
    { key: 'group:default/team-a', spent: 30, forecast: 45 },
    { key: 'group:default/team-b', spent: 10, forecast: 15 },
  ],
  byEnvironment: [
    { key: 'production', spent: 35, forecast: 52 },
    { key: 'development', spent: 5, forecast: 8 },
  ],
  byOwnerAndEnvironment: [
    { ownerRef: 'group:default/team-a', environment: 'production', spent: 25 },
    { ownerRef: 'group:default/team-a', environment: 'development', spent: 5 },
    { ownerRef: 'group:default/team-b', environment: 'production', spent: 10 },
  ],
  entities: [],
  ownerBudgets: [],
};

describe('SpendSection', () => {
  it('puts each team in a row with a column per environment', () => {
    const { environments, rows } = spendRows(summary);
    expect(environments).toEqual(['development', 'production']);
    expect(rows[1]).toMatchObject({
      owner: 'group:default/team-b',
      perEnvironment: { production: 10 },
    });
  });

  it('shows the month, the chart and the same figures as a table', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            costApiRef,
            {
              getSummary: async () => summary,
            } as any,
          ],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <SpendSection />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('$40.00 so far, $60.00 forecast for 2026-11'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('coderunner-spend-chart')).toBeInTheDocument();
    const table = screen.getByRole('table', {
      name: 'Spend this month by team and environment',
    });
    const teamA = within(table)
      .getByText('group:default/team-a')
      .closest('tr')!;
    expect(teamA).toHaveTextContent('$5.00$25.00$30.00$45.00');
  });

  it('renders nothing in an app without the cost API', async () => {
    await renderInTestApp(<SpendSection />);
    expect(screen.queryByTestId('coderunner-spend')).toBeNull();
  });
});

import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  BudgetStatus,
  CostSummary,
} from '@coderunner/plugin-coderunner-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SWRConfig } from 'swr';
import { CostApi, costApiRef } from '../../api';
import { budgetOwners } from './OwnerBudgets';
import { SpendSection } from './SpendSection';

const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';

const teamABudget: BudgetStatus = {
  budgetId: 'o1',
  scope: { ownerRef: TEAM_A },
  period: '2026-11',
  amount: 40,
  spent: 30,
  forecast: 45,
  currency: 'USD',
  thresholds: [0.5, 1],
  forecastExceedsOn: '2026-11-26',
  hardCap: false,
  source: 'ui',
};

function summary(ownerBudgets: BudgetStatus[]): CostSummary {
  return {
    period: '2026-11',
    currency: 'USD',
    asOf: '2026-11-20T12:00:00.000Z',
    spent: 40,
    forecast: 60,
    byOwner: [
      { key: TEAM_A, spent: 30, forecast: 45 },
      { key: TEAM_B, spent: 10, forecast: 15 },
      { key: 'unowned', spent: 0, forecast: 0 },
    ],
    byEnvironment: [{ key: 'production', spent: 40, forecast: 60 }],
    byOwnerAndEnvironment: [
      { ownerRef: TEAM_A, environment: 'production', spent: 30 },
      { ownerRef: TEAM_B, environment: 'production', spent: 10 },
    ],
    entities: [],
    ownerBudgets,
  };
}

function fakeCostApi(ownerBudgets: BudgetStatus[]) {
  return {
    getEntityCost: jest.fn(),
    getAdvice: jest.fn(),
    setBudget: jest.fn(),
    removeBudget: jest.fn(),
    setOwnerBudget: jest.fn(async () => teamABudget),
    removeOwnerBudget: jest.fn(async () => {}),
    getSummary: jest.fn(async () => summary(ownerBudgets)),
  } satisfies CostApi;
}

async function renderSection(api: CostApi, permission = mockApis.permission()) {
  // A fresh SWR cache: permission decisions of one test never answer in the next.
  await renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [costApiRef, api],
          [permissionApiRef, permission],
        ]}
      >
        <SpendSection />
      </TestApiProvider>
    </SWRConfig>,
  );
}

describe('OwnerBudgets', () => {
  it('lists every group with spend or a budget, and no "unowned"', () => {
    expect(
      budgetOwners(
        summary([{ ...teamABudget, scope: { ownerRef: 'group:default/c' } }]),
      ),
    ).toEqual(['group:default/c', TEAM_A, TEAM_B]);
  });

  it("shows each group's budget as a bar with the forecast", async () => {
    await renderSection(fakeCostApi([teamABudget]));
    const bar = await screen.findByRole('progressbar', {
      name: `Everything ${TEAM_A} owns: $30.00 of $40.00 spent`,
    });
    expect(bar).toHaveAttribute('aria-valuenow', '75');
    const rows = screen.getAllByTestId('coderunner-owner-budget');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(
      'Forecast $45.00 by the end of the month',
    );
    expect(rows[0]).toHaveTextContent('will exceed the budget on the 26th');
    expect(rows[1]).toHaveTextContent(`${TEAM_B}: no budget`);
  });

  it("sets a group's budget with the entity dialog's fields, then reads the summary again", async () => {
    const api = fakeCostApi([]);
    await renderSection(api);
    const set = await screen.findByRole('button', {
      name: `Set budget of ${TEAM_B}`,
    });
    await waitFor(() => expect(set).toBeEnabled());
    await userEvent.click(set);
    const dialog = await screen.findByRole('dialog', {
      name: `Set the monthly budget of ${TEAM_B}`,
    });
    // A group's budget covers all environments: there is nothing to choose.
    expect(within(dialog).queryByLabelText('Environment')).toBeNull();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Amount per month/ }),
      '120.25',
    );
    await userEvent.click(within(dialog).getByRole('checkbox'));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save budget' }),
    );
    await waitFor(() =>
      expect(api.setOwnerBudget).toHaveBeenCalledWith({
        ownerRef: TEAM_B,
        amount: 120.25,
        thresholds: [0.75, 0.9, 1],
        hardCap: true,
      }),
    );
    await waitFor(() => expect(api.getSummary).toHaveBeenCalledTimes(2));
  });

  it("changes a group's budget from its current values and shows the API's 400 in the dialog", async () => {
    const api = fakeCostApi([teamABudget]);
    api.setOwnerBudget.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'amount is 1e21; give an amount more than 0',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    );
    await renderSection(api);
    const change = await screen.findByRole('button', {
      name: `Change budget of ${TEAM_A}`,
    });
    await waitFor(() => expect(change).toBeEnabled());
    await userEvent.click(change);
    const dialog = await screen.findByRole('dialog', {
      name: `Set the monthly budget of ${TEAM_A}`,
    });
    expect(
      within(dialog).getByRole('textbox', { name: /Amount per month/ }),
    ).toHaveValue('40');
    expect(
      within(dialog).getByRole('textbox', { name: /Warn at/ }),
    ).toHaveValue('50, 100');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save budget' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /amount is 1e21/,
    );
    expect(api.getSummary).toHaveBeenCalledTimes(1);
  });

  it("removes a group's budget after asking", async () => {
    const api = fakeCostApi([teamABudget]);
    await renderSection(api);
    const remove = await screen.findByRole('button', {
      name: `Remove budget of ${TEAM_A}`,
    });
    await waitFor(() => expect(remove).toBeEnabled());
    await userEvent.click(remove);
    const dialog = await screen.findByRole('dialog', {
      name: 'Remove this budget?',
    });
    expect(dialog).toHaveTextContent(`The budget of everything ${TEAM_A} owns`);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove budget' }),
    );
    await waitFor(() =>
      expect(api.removeOwnerBudget).toHaveBeenCalledWith(TEAM_A),
    );
    await waitFor(() => expect(api.getSummary).toHaveBeenCalledTimes(2));
  });

  it('gives a user without coderunner.budget.write no working control, and says why', async () => {
    const api = fakeCostApi([teamABudget]);
    await renderSection(
      api,
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );
    await screen.findByRole('button', { name: `Change budget of ${TEAM_A}` });
    await waitFor(() =>
      expect(
        screen.getAllByTestId('coderunner-permission-denied'),
      ).toHaveLength(3),
    );
    for (const button of screen.getAllByRole('button', {
      name: /budget of/,
    })) {
      expect(button).toBeDisabled();
    }
  });

  it('offers no change to a budget set in app-config', async () => {
    await renderSection(fakeCostApi([{ ...teamABudget, source: 'config' }]));
    expect(await screen.findByText(/set in app-config/)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: `Change budget of ${TEAM_A}` }),
    ).toBeNull();
    expect(
      screen.queryByRole('button', { name: `Remove budget of ${TEAM_A}` }),
    ).toBeNull();
  });
});

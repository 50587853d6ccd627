import { mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { BudgetStatus, EntityCost } from '@coderunner/plugin-coderunner-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider } from '@backstage/test-utils';
import { CostApi, costApiRef } from '../../api';
import { fakeCodeRunnerApi, setupWithManifest } from '../../__testUtils__';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { CostCard } from './CostCard';
import { parseThresholds } from './BudgetDialog';

const budget: BudgetStatus = {
  budgetId: 'b1',
  scope: { entityRef: 'component:default/hello-node' },
  period: '2026-11',
  amount: 150,
  spent: 124.68,
  forecast: 191.81,
  currency: 'USD',
  thresholds: [0.75, 0.9, 1],
  forecastExceedsOn: '2026-11-24',
  hardCap: true,
  capMaxInstances: 1,
  source: 'ui',
};

function cost(budgets: BudgetStatus[]): EntityCost {
  return {
    entityRef: 'component:default/hello-node',
    period: '2026-11',
    currency: 'USD',
    asOf: '2026-11-20T12:00:00.000Z',
    spent: 124.68,
    builds: 0.42,
    forecast: 191.81,
    environments: [],
    daily: [],
    budgets,
  };
}

function fakeCostApi(budgets: BudgetStatus[] = [budget]) {
  return {
    getEntityCost: jest.fn(async () => cost(budgets)),
    getAdvice: jest.fn(async () => [
      {
        environment: 'production',
        currentSize: 'medium',
        suggestedSize: 'small',
        monthlySaving: 47.95,
        currency: 'USD',
        expectedCpuP95Percent: 18,
        expectedMemoryP95Percent: 30,
        summary:
          'p95 CPU 9% of a medium for 7 days: small would save $47.95/month with p95 CPU about 18% and memory about 30%',
        evidence: {
          days: 7,
          samples: 2016,
          cpuP50Percent: 4,
          cpuP95Percent: 9,
          memoryP95MiB: 300,
          memoryCapacityMiB: 2048,
          vcpus: 2,
        },
      },
    ]),
    setBudget: jest.fn(async () => budget),
    removeBudget: jest.fn(async () => {}),
    setOwnerBudget: jest.fn(async () => budget),
    removeOwnerBudget: jest.fn(async () => {}),
    getSummary: jest.fn(),
  } satisfies CostApi;
}

async function renderCard(
  costApi: CostApi,
  permission = mockApis.permission(),
) {
  await renderWithEntity(
    <TestApiProvider apis={[[costApiRef, costApi]]}>
      <CostCard />
    </TestApiProvider>,
    fakeCodeRunnerApi(setupWithManifest),
    undefined,
    permission,
  );
}

describe('CostCard', () => {
  it('shows the month so far, the forecast, each budget as a bar with the day it will be exceeded, and advice with its data', async () => {
    await renderCard(fakeCostApi());

    expect(
      await screen.findByTestId('coderunner-cost-spent'),
    ).toHaveTextContent('$124.68');
    expect(screen.getByTestId('coderunner-cost-forecast')).toHaveTextContent(
      '$191.81',
    );
    const bar = screen.getByRole('progressbar', {
      name: 'All environments: $124.68 of $150.00 spent',
    });
    expect(bar).toHaveAttribute('aria-valuenow', '83');
    const budgetBox = screen.getByTestId('coderunner-budget-bar');
    expect(budgetBox).toHaveTextContent('will exceed the budget on the 24th');
    expect(budgetBox).toHaveTextContent('Warns at 75%, 90%, 100%');
    expect(budgetBox).toHaveTextContent('runs at most 1 instance');
    expect(
      await screen.findByTestId('coderunner-right-sizing'),
    ).toHaveTextContent('small would save $47.95/month');
    expect(screen.getByTestId('coderunner-right-sizing')).toHaveTextContent(
      '2016 five-minute averages over 7 days',
    );
  });

  it('sets a budget through the dialog, with the thresholds typed as percentages', async () => {
    const api = fakeCostApi([]);
    await renderCard(api);
    expect(await screen.findByText(/No budget yet/)).toBeInTheDocument();
    const setButton = screen.getByRole('button', { name: 'Set budget' });
    await waitFor(() => expect(setButton).toBeEnabled());
    await userEvent.click(setButton);
    const dialog = await screen.findByRole('dialog', {
      name: 'Set a monthly budget',
    });
    const save = within(dialog).getByRole('button', { name: 'Save budget' });
    expect(save).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Amount per month/ }),
      '99.5',
    );
    const thresholds = within(dialog).getByRole('textbox', {
      name: /Warn at/,
    });
    await userEvent.clear(thresholds);
    await userEvent.type(thresholds, '50, 80');
    await userEvent.click(within(dialog).getByRole('checkbox'));
    await userEvent.click(save);
    await waitFor(() =>
      expect(api.setBudget).toHaveBeenCalledWith(
        'component:default/hello-node',
        { amount: 99.5, thresholds: [0.5, 0.8], hardCap: true },
      ),
    );
  });

  it('does not offer the budget dialog to a user who may not set budgets, and says why', async () => {
    await renderCard(
      fakeCostApi(),
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );
    const setButton = await screen.findByRole('button', { name: 'Set budget' });
    await waitFor(() =>
      expect(
        screen.getAllByTestId('coderunner-permission-denied'),
      ).toHaveLength(2),
    );
    expect(setButton).toBeDisabled();
  });

  it('fills the dialog with the budget it changes', async () => {
    await renderCard(fakeCostApi());
    await userEvent.click(
      await screen.findByRole('button', { name: 'Set budget' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Set a monthly budget',
    });
    expect(
      within(dialog).getByRole('textbox', { name: /Amount per month/ }),
    ).toHaveValue('150');
    expect(
      within(dialog).getByRole('textbox', { name: /Warn at/ }),
    ).toHaveValue('75, 90, 100');
    expect(within(dialog).getByRole('checkbox')).toBeChecked();
  });

  it("shows the API's 400 naming the field in the dialog and keeps it open", async () => {
    const api = fakeCostApi([]);
    api.setBudget.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message:
                'thresholds is [0.9, 0.5]; give 1 to 10 ascending fractions of the budget',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    );
    await renderCard(api);
    const setButton = await screen.findByRole('button', { name: 'Set budget' });
    await waitFor(() => expect(setButton).toBeEnabled());
    await userEvent.click(setButton);
    const dialog = await screen.findByRole('dialog', {
      name: 'Set a monthly budget',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Amount per month/ }),
      '100',
    );
    const thresholds = within(dialog).getByRole('textbox', {
      name: /Warn at/,
    });
    await userEvent.clear(thresholds);
    await userEvent.type(thresholds, '90, 50');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save budget' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /thresholds is \[0\.9, 0\.5\]/,
    );
    expect(
      screen.getByRole('dialog', { name: 'Set a monthly budget' }),
    ).toBeInTheDocument();
  });

  it('removes a budget after asking, and only a permitted user may', async () => {
    const api = fakeCostApi([
      budget,
      {
        ...budget,
        budgetId: 'b2',
        scope: {
          entityRef: 'component:default/hello-node',
          environment: 'production',
        },
        hardCap: false,
      },
      {
        ...budget,
        budgetId: 'b3',
        scope: { ownerRef: 'group:default/team-a' },
      },
    ]);
    await renderCard(api);
    const remove = await screen.findByRole('button', {
      name: 'Remove budget (production)',
    });
    // A group's budget is not removed from an entity's card.
    expect(
      screen.getAllByRole('button', { name: /Remove budget/ }),
    ).toHaveLength(2);
    await waitFor(() => expect(remove).toBeEnabled());
    await userEvent.click(remove);
    const dialog = await screen.findByRole('dialog', {
      name: 'Remove this budget?',
    });
    expect(dialog).toHaveTextContent(
      'The budget of component:default/hello-node (production) goes',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(api.removeBudget).not.toHaveBeenCalled();

    await userEvent.click(remove);
    await userEvent.click(
      within(
        await screen.findByRole('dialog', { name: 'Remove this budget?' }),
      ).getByRole('button', { name: 'Remove budget' }),
    );
    await waitFor(() =>
      expect(api.removeBudget).toHaveBeenCalledWith(
        'component:default/hello-node',
        'production',
      ),
    );
    // The card reads its cost again after the change.
    await waitFor(() => expect(api.getEntityCost).toHaveBeenCalledTimes(2));
  });

  it('offers no working remove button without coderunner.budget.write', async () => {
    await renderCard(
      fakeCostApi(),
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );
    const remove = await screen.findByRole('button', {
      name: 'Remove budget (All environments)',
    });
    await waitFor(() =>
      expect(
        screen.getAllByTestId('coderunner-permission-denied'),
      ).toHaveLength(2),
    );
    expect(remove).toBeDisabled();
  });

  it('reads percentages, and refuses what is not one', () => {
    expect(parseThresholds('75, 90, 100%')).toEqual([0.75, 0.9, 1]);
    expect(parseThresholds('')).toBeUndefined();
    expect(parseThresholds('75, lots')).toBeUndefined();
  });
});

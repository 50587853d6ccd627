import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  BudgetRequest,
  BudgetStatus,
  CodeRunnerHttpClient,
  CostSummary,
  EntityCost,
  entityPathParams,
  OwnerBudgetRequest,
  RightSizingAdvice,
} from '@coderunner/plugin-coderunner-common';
import { CostApi } from './CostApi';
import { coderunnerHttpClient } from './coderunnerHttpClient';

const COST = '/entities/{kind}/{namespace}/{name}/cost';

/**
 * Talks to the cost routes of the `coderunner` backend.
 *
 * @public
 */
export class CostClient implements CostApi {
  private readonly http: CodeRunnerHttpClient;

  constructor(apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = coderunnerHttpClient(apis);
  }

  getEntityCost(entityRef: string, month?: string): Promise<EntityCost> {
    return this.http.get(COST, {
      params: { path: entityPathParams(entityRef), query: { month } },
    });
  }

  async getAdvice(entityRef: string): Promise<RightSizingAdvice[]> {
    const { items } = await this.http.get(`${COST}/advice`, {
      params: { path: entityPathParams(entityRef) },
    });
    return items;
  }

  setBudget(entityRef: string, request: BudgetRequest): Promise<BudgetStatus> {
    return this.http.put(`${COST}/budget`, {
      params: { path: entityPathParams(entityRef) },
      body: request,
    });
  }

  async removeBudget(entityRef: string, environment?: string): Promise<void> {
    await this.http.delete(`${COST}/budget`, {
      params: { path: entityPathParams(entityRef), query: { environment } },
    });
  }

  setOwnerBudget(request: OwnerBudgetRequest): Promise<BudgetStatus> {
    return this.http.put('/cost/owner-budget', { body: request });
  }

  async removeOwnerBudget(ownerRef: string): Promise<void> {
    await this.http.delete('/cost/owner-budget', {
      params: { query: { ownerRef } },
    });
  }

  getSummary(month?: string): Promise<CostSummary> {
    return this.http.get('/cost/summary', { params: { query: { month } } });
  }
}

import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BudgetRequest,
  BudgetStatus,
  CostSummary,
  EntityCost,
  OwnerBudgetRequest,
  RightSizingAdvice,
} from '@coderunner/plugin-coderunner-common';
import { CostApi } from './CostApi';

/**
 * Talks to the cost routes of the `coderunner` backend.
 *
 * @public
 */
export class CostClient implements CostApi {
  constructor(
    private readonly apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  getEntityCost(entityRef: string, month?: string): Promise<EntityCost> {
    return this.request(`${this.costPath(entityRef)}${query({ month })}`);
  }

  async getAdvice(entityRef: string): Promise<RightSizingAdvice[]> {
    return (
      await this.request<{ items: RightSizingAdvice[] }>(
        `${this.costPath(entityRef)}/advice`,
      )
    ).items;
  }

  setBudget(entityRef: string, request: BudgetRequest): Promise<BudgetStatus> {
    return this.request(`${this.costPath(entityRef)}/budget`, {
      method: 'PUT',
      body: request,
    });
  }

  async removeBudget(entityRef: string, environment?: string): Promise<void> {
    await this.request(
      `${this.costPath(entityRef)}/budget${query({ environment })}`,
      { method: 'DELETE' },
    );
  }

  setOwnerBudget(request: OwnerBudgetRequest): Promise<BudgetStatus> {
    return this.request('/cost/owner-budget', { method: 'PUT', body: request });
  }

  async removeOwnerBudget(ownerRef: string): Promise<void> {
    await this.request(`/cost/owner-budget${query({ ownerRef })}`, {
      method: 'DELETE',
    });
  }

  getSummary(month?: string): Promise<CostSummary> {
    return this.request(`/cost/summary${query({ month })}`);
  }

  private costPath(entityRef: string): string {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return `/${[
      'entities',
      kind.toLocaleLowerCase('en-US'),
      namespace.toLocaleLowerCase('en-US'),
      name,
      'cost',
    ]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  private async request<T>(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<T> {
    const baseUrl = await this.apis.discoveryApi.getBaseUrl('coderunner');
    const hasBody = init?.body !== undefined;
    const response = await this.apis.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers: hasBody ? { 'content-type': 'application/json' } : undefined,
      body: hasBody ? JSON.stringify(init!.body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
}

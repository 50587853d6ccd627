import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ConfigAuditEntry,
  ConfigChangeRequest,
  ConfigDiff,
  ConfigEncryptionStatus,
  ConfigExport,
  ConfigFormat,
  ConfigImportRequest,
  ConfigPreview,
  ConfigSaveResponse,
  ConfigSnapshot,
  ConfigTemplate,
  ConfigVersion,
  entityApiPath,
} from '@coderunner/plugin-coderunner-common';
import { ConfigApi } from './ConfigApi';

/**
 * Talks to the Config API of the `coderunner` backend: variables, secrets, versions,
 * templates, import/export and history of one entity.
 *
 * @public
 */
export class ConfigClient implements ConfigApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getConfig(entityRef: string, version?: number): Promise<ConfigSnapshot> {
    return this.request(
      `${this.path(entityRef)}${
        version === undefined ? '' : `?version=${version}`
      }`,
    );
  }

  saveChanges(
    entityRef: string,
    body: ConfigChangeRequest,
  ): Promise<ConfigSaveResponse> {
    return this.request(`${this.path(entityRef)}/changes`, {
      method: 'POST',
      body,
    });
  }

  rollback(
    entityRef: string,
    version: number,
    apply: boolean,
  ): Promise<ConfigSaveResponse> {
    return this.request(`${this.path(entityRef)}/rollback`, {
      method: 'POST',
      body: { version, apply },
    });
  }

  apply(
    entityRef: string,
    environment: string,
  ): Promise<{ environment: string; releaseNumber: number }> {
    return this.request(
      `${this.path(entityRef)}/apply/${encodeURIComponent(environment)}`,
      {
        method: 'POST',
        body: {},
      },
    );
  }

  async listVersions(entityRef: string): Promise<ConfigVersion[]> {
    return (
      await this.request<{ items: ConfigVersion[] }>(
        `${this.path(entityRef)}/versions`,
      )
    ).items;
  }

  diff(entityRef: string, from: number, to: number): Promise<ConfigDiff> {
    return this.request(`${this.path(entityRef)}/diff?from=${from}&to=${to}`);
  }

  async listAudit(entityRef: string): Promise<ConfigAuditEntry[]> {
    return (
      await this.request<{ items: ConfigAuditEntry[] }>(
        `${this.path(entityRef)}/audit`,
      )
    ).items;
  }

  async listTemplates(): Promise<ConfigTemplate[]> {
    return (
      await this.request<{ items: ConfigTemplate[] }>('/config/templates')
    ).items;
  }

  previewTemplate(
    entityRef: string,
    templateId: string,
    scope: string,
  ): Promise<ConfigPreview> {
    return this.request(
      `${this.path(entityRef)}/templates/${encodeURIComponent(
        templateId,
      )}/preview`,
      { method: 'POST', body: { scope } },
    );
  }

  previewImport(
    entityRef: string,
    body: ConfigImportRequest,
  ): Promise<ConfigPreview> {
    return this.request(`${this.path(entityRef)}/import/preview`, {
      method: 'POST',
      body,
    });
  }

  exportConfig(
    entityRef: string,
    scope: string,
    format: ConfigFormat,
    includeSecrets: boolean,
  ): Promise<ConfigExport> {
    return this.request(
      `${this.path(entityRef)}/export?scope=${encodeURIComponent(
        scope,
      )}&format=${format}&includeSecrets=${includeSecrets}`,
    );
  }

  async reveal(
    entityRef: string,
    scope: string,
    name: string,
  ): Promise<string> {
    return (
      await this.request<{ value: string }>(`${this.path(entityRef)}/reveal`, {
        method: 'POST',
        body: { scope, name },
      })
    ).value;
  }

  encryptionStatus(): Promise<ConfigEncryptionStatus> {
    return this.request('/config/encryption');
  }

  private path(entityRef: string): string {
    return `${entityApiPath(parseEntityRef(entityRef))}/config`;
  }

  private async request<T>(
    path: string,
    init?: { method: string; body: unknown },
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('coderunner');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers: init ? { 'content-type': 'application/json' } : undefined,
      body: init ? JSON.stringify(init.body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

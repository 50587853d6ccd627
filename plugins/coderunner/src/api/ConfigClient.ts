import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  CodeRunnerHttpClient,
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
  entityPathParams,
} from '@coderunner/plugin-coderunner-common';
import { ConfigApi } from './ConfigApi';
import { coderunnerHttpClient } from './coderunnerHttpClient';

const CONFIG = '/entities/{kind}/{namespace}/{name}/config';

/**
 * Talks to the Config API of the `coderunner` backend: variables, secrets, versions,
 * templates, import/export and history of one entity.
 *
 * @public
 */
export class ConfigClient implements ConfigApi {
  private readonly http: CodeRunnerHttpClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = coderunnerHttpClient(options);
  }

  getConfig(entityRef: string, version?: number): Promise<ConfigSnapshot> {
    return this.http.get(CONFIG, {
      params: { path: entityPathParams(entityRef), query: { version } },
    });
  }

  saveChanges(
    entityRef: string,
    body: ConfigChangeRequest,
  ): Promise<ConfigSaveResponse> {
    return this.http.post(`${CONFIG}/changes`, {
      params: { path: entityPathParams(entityRef) },
      body,
    });
  }

  rollback(
    entityRef: string,
    version: number,
    apply: boolean,
  ): Promise<ConfigSaveResponse> {
    return this.http.post(`${CONFIG}/rollback`, {
      params: { path: entityPathParams(entityRef) },
      body: { version, apply },
    });
  }

  apply(
    entityRef: string,
    environment: string,
  ): Promise<{ environment: string; releaseNumber: number }> {
    return this.http.post(`${CONFIG}/apply/{environment}`, {
      params: { path: { ...entityPathParams(entityRef), environment } },
    });
  }

  async listVersions(entityRef: string): Promise<ConfigVersion[]> {
    const { items } = await this.http.get(`${CONFIG}/versions`, {
      params: { path: entityPathParams(entityRef) },
    });
    return items;
  }

  diff(entityRef: string, from: number, to: number): Promise<ConfigDiff> {
    return this.http.get(`${CONFIG}/diff`, {
      params: { path: entityPathParams(entityRef), query: { from, to } },
    });
  }

  async listAudit(entityRef: string): Promise<ConfigAuditEntry[]> {
    const { items } = await this.http.get(`${CONFIG}/audit`, {
      params: { path: entityPathParams(entityRef) },
    });
    return items;
  }

  async listTemplates(): Promise<ConfigTemplate[]> {
    return (await this.http.get('/config/templates')).items;
  }

  async previewTemplate(
    entityRef: string,
    templateId: string,
    scope: string,
  ): Promise<ConfigPreview> {
    const preview = await this.http.post(
      `${CONFIG}/templates/{templateId}/preview`,
      {
        params: { path: { ...entityPathParams(entityRef), templateId } },
        body: { scope },
      },
    );
    // The spec types a change loosely (see ConfigChange); the backend sends sets and deletes.
    return preview as ConfigPreview;
  }

  async previewImport(
    entityRef: string,
    body: ConfigImportRequest,
  ): Promise<ConfigPreview> {
    const preview = await this.http.post(`${CONFIG}/import/preview`, {
      params: { path: entityPathParams(entityRef) },
      body,
    });
    // The spec types a change loosely (see ConfigChange); the backend sends sets and deletes.
    return preview as ConfigPreview;
  }

  exportConfig(
    entityRef: string,
    scope: string,
    format: ConfigFormat,
    includeSecrets: boolean,
  ): Promise<ConfigExport> {
    return this.http.get(`${CONFIG}/export`, {
      params: {
        path: entityPathParams(entityRef),
        query: { scope, format, includeSecrets },
      },
    });
  }

  async reveal(
    entityRef: string,
    scope: string,
    name: string,
  ): Promise<string> {
    const { value } = await this.http.post(`${CONFIG}/reveal`, {
      params: { path: entityPathParams(entityRef) },
      body: { scope, name },
    });
    return value;
  }

  encryptionStatus(): Promise<ConfigEncryptionStatus> {
    return this.http.get('/config/encryption');
  }
}

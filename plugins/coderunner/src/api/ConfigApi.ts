import { createApiRef } from '@backstage/core-plugin-api';
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
} from '@coderunner/plugin-coderunner-common';

/**
 * The browser's view of an entity's configuration: variables, secrets, versions, templates,
 * import/export and history.
 *
 * @public
 */
export interface ConfigApi {
  /** The variables of every scope, at `version` (the current one when omitted). */
  getConfig(entityRef: string, version?: number): Promise<ConfigSnapshot>;
  /** Saves the changes as a new version; with `apply`, rolls them out. */
  saveChanges(
    entityRef: string,
    body: ConfigChangeRequest,
  ): Promise<ConfigSaveResponse>;
  /** Makes `version` current again, as a new version. */
  rollback(
    entityRef: string,
    version: number,
    apply: boolean,
  ): Promise<ConfigSaveResponse>;
  /** Rolls the saved configuration out to `environment`. */
  apply(
    entityRef: string,
    environment: string,
  ): Promise<{ environment: string; releaseNumber: number }>;
  /** The versions, newest first. */
  listVersions(entityRef: string): Promise<ConfigVersion[]>;
  diff(entityRef: string, from: number, to: number): Promise<ConfigDiff>;
  listAudit(entityRef: string): Promise<ConfigAuditEntry[]>;
  listTemplates(): Promise<ConfigTemplate[]>;
  previewTemplate(
    entityRef: string,
    templateId: string,
    scope: string,
  ): Promise<ConfigPreview>;
  previewImport(
    entityRef: string,
    body: ConfigImportRequest,
  ): Promise<ConfigPreview>;
  exportConfig(
    entityRef: string,
    scope: string,
    format: ConfigFormat,
    includeSecrets: boolean,
  ): Promise<ConfigExport>;
  /** A secret's value; every reveal is audited. */
  reveal(entityRef: string, scope: string, name: string): Promise<string>;
  encryptionStatus(): Promise<ConfigEncryptionStatus>;
}

/**
 * The API ref of {@link ConfigApi}.
 *
 * @public
 */
export const configApiRef = createApiRef<ConfigApi>({
  id: 'plugin.coderunner.config',
});

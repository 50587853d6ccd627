import { useApi } from '@backstage/core-plugin-api';
import {
  ConfigChangeRequest,
  ConfigFormat,
  ConfigImportRequest,
} from '@coderunner/plugin-coderunner-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { configApiRef } from '../api';
import { useRequest } from './useRequest';

/** The writes of one entity's config: save a draft, apply, roll back, reveal a secret. */
export function useConfigMutations(entityRef: string) {
  const client = useApi(configApiRef);
  return useMemo(
    () => ({
      save: (body: ConfigChangeRequest) => client.saveChanges(entityRef, body),
      apply: (environment: string) => client.apply(entityRef, environment),
      /** A rollback is saved as a new version and not applied. */
      rollback: (version: number) => client.rollback(entityRef, version, false),
      reveal: (scope: string, name: string) =>
        client.reveal(entityRef, scope, name),
    }),
    [client, entityRef],
  );
}

/** What importing text (or replacing a scope with `.env` text) would change. */
export function useImportPreview(entityRef: string) {
  const client = useApi(configApiRef);
  return useRequest((body: ConfigImportRequest) =>
    client.previewImport(entityRef, body),
  );
}

/** The templates an app offers. */
export function useConfigTemplates() {
  const client = useApi(configApiRef);
  return useAsync(() => client.listTemplates(), [client]);
}

/** What applying a template to a scope would add. */
export function useTemplatePreview(entityRef: string, scope: string) {
  const client = useApi(configApiRef);
  return useRequest((templateId: string) =>
    client.previewTemplate(entityRef, templateId, scope),
  );
}

/** A scope's variables as text; secret values only when asked for (audited). */
export function useConfigExport(entityRef: string, scope: string) {
  const client = useApi(configApiRef);
  return useRequest((format: ConfigFormat, includeSecrets: boolean) =>
    client.exportConfig(entityRef, scope, format, includeSecrets),
  );
}

/** What a version changed compared with the one before it. */
export function useVersionDiff(entityRef: string) {
  const client = useApi(configApiRef);
  return useRequest((version: number) =>
    client.diff(entityRef, version - 1, version),
  );
}

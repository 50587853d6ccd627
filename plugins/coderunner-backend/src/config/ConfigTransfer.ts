import { InputError, NotFoundError } from '@backstage/errors';
import {
  ConfigExport,
  ConfigFormat,
  ConfigImportRequest,
  ConfigPreview,
} from '@coderunner/plugin-coderunner-common';
import { ConfigStore } from './ConfigStore';
import { ConfigValues } from './ConfigValues';
import { formatExport, parseImport } from './formats';
import { CONFIG_TEMPLATES } from './templates';

/** The largest import text by default, in UTF-8 bytes: `coderunner.config.importMaxBytes`. */
export const DEFAULT_IMPORT_MAX_BYTES = 256 * 1024;

/**
 * Configuration in and out in bulk: previews of an import or a template (what saving it would
 * change; nothing is saved here, the change goes through `ConfigChanges.change`) and exports
 * as `.env`, JSON or YAML (audited).
 *
 * @internal
 */
export class ConfigTransfer {
  constructor(
    private readonly store: ConfigStore,
    private readonly values: ConfigValues,
    private readonly options: { importMaxBytes?: number } = {},
  ) {}

  /** The largest import text, in UTF-8 bytes. */
  get importMaxBytes(): number {
    return this.options.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  }

  /**
   * What an import would change in one scope; nothing is saved. Stored secret values are
   * compared with the import only for callers who may reveal them (`mayReveal`); for anyone
   * else a secret the import names is always `changed`, whatever its value, so that a preview
   * cannot confirm a guess.
   */
  async previewImport(
    entityRef: string,
    request: ConfigImportRequest,
    options: { mayReveal: boolean } = { mayReveal: false },
  ): Promise<ConfigPreview> {
    this.values.assertScope(request?.scope);
    if (!['env', 'json', 'yaml'].includes(request.format)) {
      throw new InputError('format must be env, json or yaml');
    }
    if (typeof request.content !== 'string') {
      throw new InputError('content must be text');
    }
    const bytes = Buffer.byteLength(request.content, 'utf8');
    if (bytes > this.importMaxBytes) {
      throw new InputError(
        `The import is ${bytes} bytes; the limit is ${this.importMaxBytes} bytes (coderunner.config.importMaxBytes). Split it into smaller imports.`,
      );
    }
    const parsed = parseImport(request.content, request.format);
    return this.preview(
      entityRef,
      request.scope,
      parsed.variables.map(v => ({
        name: v.name,
        value: v.value,
        secret: v.secret ?? request.secret,
      })),
      parsed.problems,
      {
        replace: request.mode === 'replace',
        compareSecrets: options.mayReveal,
      },
    );
  }

  /** What a template would add to one scope: the variables not set there yet. */
  async previewTemplate(
    entityRef: string,
    templateId: string,
    scope: string,
  ): Promise<ConfigPreview> {
    this.values.assertScope(scope);
    const template = CONFIG_TEMPLATES.find(t => t.id === templateId);
    if (!template) {
      throw new NotFoundError(
        `No template ${templateId}; use one of ${CONFIG_TEMPLATES.map(
          t => t.id,
        ).join(', ')}`,
      );
    }
    const current = await this.values.current(entityRef, scope);
    const missing = template.variables.filter(v => !current.has(v.name));
    const preview = await this.preview(
      entityRef,
      scope,
      missing.map(v => ({
        name: v.name,
        value: v.value ?? '',
        secret: v.secret,
      })),
      [],
      { replace: false, compareSecrets: false },
    );
    preview.problems = missing
      .filter(v => v.required && v.value === undefined)
      .map((v, index) => ({
        line: index + 1,
        message: `${v.name} is required: ${v.description}`,
      }));
    return preview;
  }

  private async preview(
    entityRef: string,
    scope: string,
    incoming: { name: string; value: string; secret?: boolean }[],
    problems: ConfigPreview['problems'],
    options: { replace: boolean; compareSecrets: boolean },
  ): Promise<ConfigPreview> {
    const current = await this.values.current(entityRef, scope);
    const preview: ConfigPreview = {
      changes: [],
      entries: [],
      unchanged: [],
      problems,
    };
    const named = new Set<string>();
    for (const variable of incoming) {
      named.add(variable.name);
      const existing = current.get(variable.name);
      const secret = variable.secret ?? existing?.secret ?? false;
      const comparable =
        existing && (options.compareSecrets || (!existing.secret && !secret));
      if (
        comparable &&
        existing.secret === secret &&
        this.values.decrypt(existing) === variable.value
      ) {
        preview.unchanged.push(variable.name);
        continue;
      }
      preview.changes.push({
        scope,
        name: variable.name,
        value: variable.value,
        secret,
      });
      preview.entries.push({
        scope,
        name: variable.name,
        change: existing ? 'changed' : 'added',
        secret,
        before:
          existing && !existing.secret && !secret
            ? this.values.decrypt(existing)
            : undefined,
        after: secret ? undefined : variable.value,
      });
    }
    if (options.replace) {
      for (const [name, row] of current) {
        if (!named.has(name)) {
          preview.changes.push({ scope, name, delete: true });
          preview.entries.push({
            scope,
            name,
            change: 'removed',
            secret: row.secret,
            before: row.secret ? undefined : this.values.decrypt(row),
          });
        }
      }
    }
    return preview;
  }

  /** The variables of a scope as text; secret values only when `includeSecrets` (audited). */
  async export(
    entityRef: string,
    scope: string,
    format: ConfigFormat,
    options: { includeSecrets: boolean; actor: string },
  ): Promise<ConfigExport> {
    this.values.assertScope(scope);
    if (!['env', 'json', 'yaml'].includes(format)) {
      throw new InputError('format must be env, json or yaml');
    }
    const rows = [...(await this.values.current(entityRef, scope)).values()];
    const omittedSecrets = options.includeSecrets
      ? []
      : rows.filter(r => r.secret).map(r => r.name);
    const included = rows.filter(r => options.includeSecrets || !r.secret);
    const { content } = formatExport(
      included.map(r => ({
        name: r.name,
        value: this.values.decrypt(r),
        secret: r.secret,
      })),
      format,
    );
    await this.store.addAudit({
      entityRef,
      action: 'export',
      actor: options.actor,
      scopes: [scope],
      names: included.filter(r => r.secret).map(r => r.name),
    });
    return { format, content, omittedSecrets };
  }
}

import { components } from './generated/openapi';

/**
 * The scope of variables shared by every environment of an entity. Environment-specific
 * variables override them; see {@link CONFIG_OVERRIDE_ORDER}.
 *
 * @public
 */
export const SHARED_CONFIG_SCOPE = 'shared';

/**
 * Where an instance's environment comes from, lowest precedence first: each later source
 * overrides a variable of the same name from an earlier one.
 *
 * @public
 */
export const CONFIG_OVERRIDE_ORDER = [
  'the env section of coderunner.yaml',
  'shared variables (every environment)',
  'variables of the deployment environment',
  'variables set by CodeRunner (PORT, CODERUNNER_*)',
] as const;

/**
 * Limits on configuration, checked by the API and shown inline by the Config tab.
 *
 * @public
 */
export const CONFIG_LIMITS = {
  /** Longest variable name. */
  nameLength: 128,
  /** Largest value, in UTF-8 bytes. */
  valueBytes: 32 * 1024,
  /** Most variables in one scope (shared or one environment). */
  variablesPerScope: 500,
  /** Largest import or bulk edit text, in characters. */
  importChars: 256 * 1024,
} as const;

const POSIX_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Why a variable name cannot be used, or undefined when it can. Names follow POSIX
 * (letters, digits and underscores, not starting with a digit); CodeRunner's own names are
 * reserved.
 *
 * @public
 */
export function checkVariableName(name: string): string | undefined {
  if (name.length === 0) {
    return 'Enter a name';
  }
  if (name.length > CONFIG_LIMITS.nameLength) {
    return `Names are at most ${CONFIG_LIMITS.nameLength} characters long`;
  }
  if (!POSIX_NAME.test(name)) {
    return 'Use letters, digits and underscores only, not starting with a digit (e.g. DATABASE_URL)';
  }
  if (name === 'PORT') {
    return 'PORT is reserved: CodeRunner sets it to the port of the manifest';
  }
  if (name.toUpperCase().startsWith('CODERUNNER_')) {
    return 'Names starting with CODERUNNER_ are reserved for the variables CodeRunner sets';
  }
  return undefined;
}

/**
 * Why a value cannot be stored, or undefined when it can.
 *
 * @public
 */
export function checkVariableValue(value: string): string | undefined {
  if (utf8Length(value) > CONFIG_LIMITS.valueBytes) {
    return `Values are at most ${CONFIG_LIMITS.valueBytes / 1024} KiB`;
  }
  if (value.includes('\0')) {
    return 'Values cannot contain NUL characters';
  }
  return undefined;
}

function utf8Length(value: string): number {
  let bytes = 0;
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code < 0x10000) bytes += 3;
    else bytes += 4;
  }
  return bytes;
}

/**
 * One variable as the API shows it. Secret values never leave the backend: a secret shows
 * that it is set, when, by whom, and a short fingerprint that changes when the value does.
 *
 * @public
 */
export type ConfigVariable = components['schemas']['ConfigVariable'];

/**
 * All configuration of an entity at one version, by scope (`shared` or an environment).
 *
 * @public
 */
export type ConfigSnapshot = components['schemas']['ConfigSnapshot'];

/**
 * One change in a change set: set a variable (value and secret flag) or delete it.
 *
 * Written by hand: the spec's `ConfigChange` makes every field but scope and name optional, so
 * that request validation names the one field that is wrong; the backend accepts (and sends)
 * only these two shapes. `ConfigChangeRequest` and `ConfigPreview` are the spec's with these
 * changes.
 *
 * @public
 */
export type ConfigChange =
  | { scope: string; name: string; value: string; secret?: boolean }
  | { scope: string; name: string; delete: true };

/**
 * Body of a request that saves a change set as a new version.
 *
 * @public
 */
export type ConfigChangeRequest = Omit<
  components['schemas']['ConfigChangeRequest'],
  'changes'
> & { changes: ConfigChange[] };

/**
 * What happened to one variable between two versions. Secrets are only ever `changed`.
 *
 * @public
 */
export type ConfigDiffEntry = components['schemas']['ConfigDiffEntry'];

/**
 * The differences between two versions.
 *
 * @public
 */
export type ConfigDiff = components['schemas']['ConfigDiff'];

/**
 * A version: one saved change set.
 *
 * @public
 */
export type ConfigVersion = components['schemas']['ConfigVersion'];

/**
 * The answer to a saved change or rollback.
 *
 * @public
 */
export type ConfigSaveResponse = components['schemas']['ConfigSaveResponse'];

/**
 * Body of a rollback request.
 *
 * @public
 */
export type ConfigRollbackRequest =
  components['schemas']['ConfigRollbackRequest'];

/**
 * A bad line of an import, by its 1-based number.
 *
 * @public
 */
export type ConfigImportProblem =
  components['schemas']['ConfigPreview']['problems'][number];

/**
 * A format for import and export.
 *
 * @public
 */
export type ConfigFormat = components['schemas']['ConfigFormat'];

/**
 * Body of an import preview.
 *
 * @public
 */
export type ConfigImportRequest = components['schemas']['ConfigImportRequest'];

/**
 * What an import or a template would change, ready to send as a change set, and the lines
 * that could not be used.
 *
 * @public
 */
export type ConfigPreview = Omit<
  components['schemas']['ConfigPreview'],
  'changes'
> & {
  changes: ConfigChange[];
};

/**
 * A configuration template: variables an app of some kind usually needs.
 *
 * @public
 */
export type ConfigTemplate = components['schemas']['ConfigTemplate'];

/**
 * An export: the content and the names of the secrets left out of it.
 *
 * @public
 */
export type ConfigExport = components['schemas']['ConfigExport'];

/**
 * One entry of the configuration audit history. Never contains values.
 *
 * @public
 */
export type ConfigAuditEntry = components['schemas']['ConfigAuditEntry'];

/**
 * Encryption keys and the progress of moving stored values to the active key.
 *
 * @public
 */
export type ConfigEncryptionStatus =
  components['schemas']['ConfigEncryptionStatus'];

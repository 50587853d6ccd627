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
export type ConfigVariable = {
  name: string;
  secret: boolean;
  /** The value of a plain variable; never present for a secret. */
  value?: string;
  /** For secrets: a short keyed hash of the value, to tell values apart without showing them. */
  fingerprint?: string;
  updatedBy: string;
  updatedAt: string;
  /** The config version that set this value. */
  version: number;
};

/**
 * All configuration of an entity at one version, by scope (`shared` or an environment).
 *
 * @public
 */
export type ConfigSnapshot = {
  entityRef: string;
  /** The newest version; 0 when nothing was ever set. */
  version: number;
  scopes: Record<string, ConfigVariable[]>;
  overrideOrder: string[];
};

/**
 * One change in a change set: set a variable (value and secret flag) or delete it.
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
export type ConfigChangeRequest = {
  changes: ConfigChange[];
  message?: string;
  /** Roll the affected deployments onto the new version right away. */
  apply?: boolean;
  /** Refuse the change when the newest version is no longer this one (someone else saved). */
  expectedVersion?: number;
};

/**
 * What happened to one variable between two versions. Secrets are only ever `changed`.
 *
 * @public
 */
export type ConfigDiffEntry = {
  scope: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  secret: boolean;
  /** Plain variables only. */
  before?: string;
  /** Plain variables only. */
  after?: string;
};

/**
 * The differences between two versions.
 *
 * @public
 */
export type ConfigDiff = {
  from: number;
  to: number;
  entries: ConfigDiffEntry[];
};

/**
 * A version: one saved change set.
 *
 * @public
 */
export type ConfigVersion = {
  version: number;
  author: string;
  message?: string;
  createdAt: string;
  /** The scopes the change set touched. */
  scopes: string[];
  /** What changed, by name, never with values. */
  changes: {
    scope: string;
    name: string;
    change: 'added' | 'removed' | 'changed';
  }[];
  /** Set when this version rolled back to an earlier one. */
  rollbackOf?: number;
};

/**
 * The answer to a saved change or rollback.
 *
 * @public
 */
export type ConfigSaveResponse = {
  version: ConfigVersion;
  /** The releases created to apply the version, one per running deployment it affects. */
  applied: { environment: string; releaseNumber: number }[];
  /** Environments with a deployment that will pick the version up on its next release. */
  pending: string[];
};

/**
 * Body of a rollback request.
 *
 * @public
 */
export type ConfigRollbackRequest = {
  version: number;
  message?: string;
  apply?: boolean;
};

/**
 * A bad line of an import, by its 1-based number.
 *
 * @public
 */
export type ConfigImportProblem = {
  line: number;
  message: string;
};

/**
 * A formats for import and export.
 *
 * @public
 */
export type ConfigFormat = 'env' | 'json' | 'yaml';

/**
 * Body of an import preview.
 *
 * @public
 */
export type ConfigImportRequest = {
  scope: string;
  format: ConfigFormat;
  content: string;
  /** Mark every imported variable as secret. */
  secret?: boolean;
  /** `replace` also deletes the variables of the scope that the content does not name. */
  mode?: 'merge' | 'replace';
};

/**
 * What an import or a template would change, ready to send as a change set, and the lines
 * that could not be used.
 *
 * @public
 */
export type ConfigPreview = {
  changes: ConfigChange[];
  entries: ConfigDiffEntry[];
  unchanged: string[];
  problems: ConfigImportProblem[];
};

/**
 * A configuration template: variables an app of some kind usually needs.
 *
 * @public
 */
export type ConfigTemplate = {
  id: string;
  title: string;
  description: string;
  variables: {
    name: string;
    description: string;
    /** A default value; required variables without one must be filled in. */
    value?: string;
    secret: boolean;
    required: boolean;
  }[];
};

/**
 * An export: the content and the names of the secrets left out of it.
 *
 * @public
 */
export type ConfigExport = {
  format: ConfigFormat;
  content: string;
  omittedSecrets: string[];
};

/**
 * One entry of the configuration audit history. Never contains values.
 *
 * @public
 */
export type ConfigAuditEntry = {
  id: number;
  action: 'change' | 'rollback' | 'reveal' | 'export' | 'apply';
  actor: string;
  at: string;
  version?: number;
  scopes: string[];
  names: string[];
};

/**
 * Encryption keys and the progress of moving stored values to the active key.
 *
 * @public
 */
export type ConfigEncryptionStatus = {
  activeKeyId: string;
  /** True when no keys are configured and a generated development key is in use. */
  developmentKey: boolean;
  keys: { id: string; active: boolean; values: number }[];
  totalValues: number;
  valuesOnActiveKey: number;
  rotation: { running: boolean; lastRunAt?: string; lastError?: string };
};

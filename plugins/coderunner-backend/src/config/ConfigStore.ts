import {
  ConfigAuditEntry,
  ConfigVersion,
} from '@coderunner/plugin-coderunner-common';
import { SealedValue } from './SecretCipher';

/**
 * A stored value: valid from `fromVersion` until `toVersion` (exclusive), or still current
 * when `toVersion` is absent. Its ciphertext is bound to its entity, scope and name.
 *
 * @internal
 */
export interface StoredConfigValue {
  id: number;
  entityRef: string;
  scope: string;
  name: string;
  secret: boolean;
  sealed: SealedValue;
  fromVersion: number;
  toVersion?: number;
  updatedBy: string;
  /** ISO 8601. */
  updatedAt: string;
}

/**
 * A value to insert with a new version.
 *
 * @internal
 */
export interface NewConfigValue {
  scope: string;
  name: string;
  secret: boolean;
  sealed: SealedValue;
}

/**
 * What a new version does, planned from the values current before it: the values it closes,
 * those it inserts, and the changes it records.
 *
 * @internal
 */
export interface ConfigVersionPlan {
  close: StoredConfigValue[];
  insert: NewConfigValue[];
  changes: ConfigVersion['changes'];
}

/**
 * The outcome of {@link ConfigStore.saveVersion}: the saved version, or the newer version
 * that made `expectedVersion` stale (nothing saved).
 *
 * @internal
 */
export type SavedConfigVersion = { version: ConfigVersion } | { stale: number };

/**
 * A configuration audit entry to record.
 *
 * @internal
 */
export type NewConfigAuditEntry = Omit<ConfigAuditEntry, 'id' | 'at'> & {
  entityRef: string;
};

/**
 * Where configuration is kept: values valid over version ranges, the versions, and the audit
 * history.
 *
 * @internal
 */
export interface ConfigStore {
  /** The newest version of an entity's configuration; 0 before its first change. */
  latestVersion(entityRef: string): Promise<number>;
  /** The newest version that touched any of these scopes, or undefined. */
  latestVersionTouching(
    entityRef: string,
    scopes: string[],
  ): Promise<number | undefined>;
  /**
   * For each of `entityRefs`, its versions newest first with the scopes each touched, for
   * {@link ConfigStore.latestVersionTouching} over many deployments at once.
   */
  versionScopes(
    entityRefs: string[],
  ): Promise<Map<string, { version: number; scopes: string[] }[]>>;
  /** The values in effect at a version, by scope and name. */
  valuesAt(entityRef: string, version: number): Promise<StoredConfigValue[]>;
  /**
   * Saves a change set as the next version in one transaction: `plan` gets the current values
   * and the new version's number and says what to close and insert (throwing saves nothing).
   * Answers `{ stale }` when `expectedVersion` is not the newest.
   */
  saveVersion(options: {
    entityRef: string;
    author: string;
    message?: string;
    rollbackOf?: number;
    expectedVersion?: number;
    plan: (current: StoredConfigValue[], version: number) => ConfigVersionPlan;
  }): Promise<SavedConfigVersion>;
  /** Newest first. */
  listVersions(entityRef: string, limit?: number): Promise<ConfigVersion[]>;
  addAudit(entry: NewConfigAuditEntry): Promise<void>;
  /** Newest first; with `name`, only entries that name that variable. */
  listAudit(
    entityRef: string,
    options?: { name?: string; limit?: number },
  ): Promise<ConfigAuditEntry[]>;
  /** How many stored values each key wraps. */
  countByKey(): Promise<Map<string, number>>;
  /** A batch of values whose data keys are wrapped by another key than this one. */
  valuesNotUnder(keyId: string, limit: number): Promise<StoredConfigValue[]>;
  /** Stores a re-wrapped data key, unless someone else already moved the value (false). */
  rewrapValue(
    value: StoredConfigValue,
    next: { keyId: string; wrappedKey: string },
  ): Promise<boolean>;
}

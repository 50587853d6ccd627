import { Alert } from '@coderunner/plugin-coderunner-common';
import { AlertCondition } from './types';

/**
 * Where alerts and their history are kept.
 *
 * @internal
 */
export interface AlertStore {
  /** Every open alert (the engine compares them with the conditions). */
  listOpen(): Promise<Alert[]>;
  /** Opens an alert; answers undefined when another replica opened one with this key first. */
  open(
    condition: AlertCondition & { ruleId: string },
    at: Date,
  ): Promise<Alert | undefined>;
  /** Whether an alert with this key was ever opened. */
  hasOpened(key: string): Promise<boolean>;
  /** Records that an open alert's condition is still present, with its current wording. */
  touch(ids: string[], at: Date): Promise<void>;
  update(
    id: string,
    fields: Pick<Alert, 'severity' | 'title' | 'description' | 'link'>,
    at: Date,
  ): Promise<Alert | undefined>;
  /** Resolves an open alert; answers undefined when it was resolved already. */
  resolve(id: string, at: Date): Promise<Alert | undefined>;
  /** Alerts of some entities, newest first. */
  list(options: {
    entityRefs?: string[];
    status?: 'open' | 'resolved';
    limit: number;
  }): Promise<Alert[]>;
  /** Deletes resolved alerts resolved before `before`; answers how many. */
  prune(before: Date): Promise<number>;
}

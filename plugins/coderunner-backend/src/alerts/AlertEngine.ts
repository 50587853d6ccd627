import { LoggerService } from '@backstage/backend-plugin-api';
import { AlertChannel, AlertEvent } from '@coderunner/plugin-coderunner-node';
import { AlertStore } from './AlertStore';
import { AlertCondition, AlertRule, SEVERITY_RANK } from './types';

/** What one evaluation did. */
export interface EvaluationResult {
  opened: number;
  escalated: number;
  resolved: number;
  /** Rules that threw; their open alerts were left as they were. */
  failedRules: string[];
}

/**
 * Evaluates every rule and moves the stored alerts to match: a new condition opens an alert, a
 * present one keeps it (updating its wording, escalating when its severity rises), an absent one
 * resolves it. Each change goes to every channel. Runs on one replica at a time (a global
 * scheduler task); the store's unique open key keeps two evaluations from opening one alert twice.
 *
 * @internal
 */
export class AlertEngine {
  constructor(
    private readonly rules: AlertRule[],
    private readonly store: AlertStore,
    private readonly channels: AlertChannel[],
    private readonly logger: LoggerService,
  ) {}

  async evaluate(now: Date = new Date()): Promise<EvaluationResult> {
    const result: EvaluationResult = {
      opened: 0,
      escalated: 0,
      resolved: 0,
      failedRules: [],
    };
    const conditions = new Map<string, AlertCondition & { ruleId: string }>();
    const evaluatedRules = new Set<string>();
    for (const rule of this.rules) {
      try {
        for (const condition of await rule.evaluate(now)) {
          conditions.set(condition.key, { ...condition, ruleId: rule.id });
        }
        evaluatedRules.add(rule.id);
      } catch (error) {
        result.failedRules.push(rule.id);
        this.logger.warn(`Alert rule ${rule.id} failed: ${error}`);
      }
    }

    const open = await this.store.listOpen();
    const openByKey = new Map(open.map(alert => [alert.key, alert]));
    const stillSeen: string[] = [];
    for (const alert of open) {
      const condition = conditions.get(alert.key);
      if (condition) {
        if (
          condition.severity !== alert.severity ||
          condition.title !== alert.title ||
          condition.description !== alert.description ||
          condition.link !== alert.link
        ) {
          const updated = await this.store.update(
            alert.id,
            {
              severity: condition.severity,
              title: condition.title,
              description: condition.description,
              link: condition.link,
            },
            now,
          );
          if (
            updated &&
            SEVERITY_RANK[condition.severity] > SEVERITY_RANK[alert.severity]
          ) {
            result.escalated++;
            await this.deliver({ type: 'escalated', alert: updated });
          }
        } else {
          stillSeen.push(alert.id);
        }
      } else if (evaluatedRules.has(alert.ruleId)) {
        const resolved = await this.store.resolve(alert.id, now);
        if (resolved) {
          result.resolved++;
          await this.deliver({ type: 'resolved', alert: resolved });
        }
      }
    }
    await this.store.touch(stillSeen, now);

    for (const condition of conditions.values()) {
      if (openByKey.has(condition.key)) continue;
      const silent =
        condition.notifyOnce && (await this.store.hasOpened(condition.key));
      const alert = await this.store.open(condition, now);
      if (!alert) continue;
      result.opened++;
      if (!silent) await this.deliver({ type: 'opened', alert });
    }
    return result;
  }

  private async deliver(event: AlertEvent) {
    for (const channel of this.channels) {
      try {
        await channel.deliver(event);
      } catch (error) {
        this.logger.warn(
          `Alert channel ${channel.name} could not deliver ${event.type} alert ${event.alert.key}: ${error}`,
        );
      }
    }
  }
}
